import Foundation

/// The form of a name that search compares: lower case, accents and diacritics removed
/// ("Åsa Öberg" → "asa oberg"), spaces collapsed. Stored beside the name and applied to queries;
/// public so that a feature's page searching organisations or people by name (`o.search_name`)
/// folds its search text the same way.
public enum SearchText {
    /// The folded form of `text`.
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
