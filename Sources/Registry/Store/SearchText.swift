import Foundation

/// The form of a name that search compares: lower case, accents and diacritics removed
/// ("Åsa Öberg" → "asa oberg"), spaces collapsed. Stored beside the name and applied to queries;
/// features searching registry names in their pages use it too.
public enum SearchText {
    /// `text` folded as the registry stores names for search.
    public static func fold(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
        return folded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// A `LIKE` pattern matching names that contain `query` (folded), with `%`, `_` and `\` escaped.
    public static func containsPattern(_ query: String) -> String {
        var escaped = ""
        for character in fold(query) {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }
}
