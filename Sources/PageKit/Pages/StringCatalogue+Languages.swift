public import PluginKit

extension StringCatalogue {
    /// The text of `wording` in every language, by language code (`{"sv": …, "en": …}`): for a
    /// text that leaves the pages, such as a line of an e-mail the host writes in its reader's
    /// language. A language without its text gets the Swedish one.
    ///
    /// - Parameter wording: The catalogue key and the values of its placeholders.
    /// - Returns: The filled-in text by language code.
    public func texts(of wording: Wording) -> [String: String] {
        Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0.rawValue, wording.filling(text(wording.key, $0))) })
    }
}
