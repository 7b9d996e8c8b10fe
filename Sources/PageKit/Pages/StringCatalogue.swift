public import Foundation
public import PluginKit

/// The texts of one target's pages in every ``Language``: one file per feature,
/// `Resources/strings.json`, shaped `{"key": {"sv": "…", "en": "…"}}`, so a text and its
/// translation sit side by side and a missing translation is a test failure, not a blank.
///
/// Templates read a text as `{{t.key}}`; Swift code as ``text(_:_:)``.
public struct StringCatalogue: Sendable {
    /// The texts by key and language.
    public private(set) var entries: [String: [Language: String]]

    /// A catalogue of the given texts.
    public init(_ entries: [String: [Language: String]] = [:]) { self.entries = entries }

    /// Reads a catalogue file.
    ///
    /// - Parameter url: The JSON file.
    /// - Throws: ``PageSetupError`` naming the file and what is wrong in it.
    public init(contentsOf url: URL) throws(PageSetupError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw PageSetupError("cannot read \(url.lastPathComponent): \(error)") }
        let decoded: [String: [String: String]]
        do {
            decoded = try JSONDecoder().decode([String: [String: String]].self, from: data)
        } catch {
            throw PageSetupError("\(url.lastPathComponent) is not a catalogue {\"key\": {\"sv\": …, \"en\": …}}: \(error)")
        }
        var entries: [String: [Language: String]] = [:]
        for (key, texts) in decoded {
            var byLanguage: [Language: String] = [:]
            for (code, text) in texts {
                guard let language = Language(rawValue: code) else {
                    throw PageSetupError("\(url.lastPathComponent): \(key) has a text in the unknown language \(code)")
                }
                byLanguage[language] = text
            }
            entries[key] = byLanguage
        }
        self.entries = entries
    }

    /// The text for `key` in `language`, in Swedish when it has no translation, and the key
    /// itself when the catalogue lacks it (visible on the page, and caught by the catalogue test).
    public func text(_ key: String, _ language: Language) -> String {
        entries[key]?[language] ?? entries[key]?[.sv] ?? key
    }

    /// What `error` says in `language`: its ``FeatureError/wording``'s text with the
    /// placeholders filled in, or its English message where the catalogue lacks that text.
    public func message(for error: FeatureError, _ language: Language) -> String {
        error.wording.flatMap { text($0, prefix: "error_", language) } ?? error.message
    }

    /// The text of `wording` (under `prefix` + its key) in `language` with the placeholders
    /// filled in; `nil` when the catalogue lacks it.
    public func text(_ wording: Wording, prefix: String, _ language: Language) -> String? {
        entries[prefix + wording.key] == nil ? nil : wording.filling(text(prefix + wording.key, language))
    }

    /// Every text in `language`, for templates (`{{t.key}}`).
    public func texts(for language: Language) -> [String: String] {
        entries.reduce(into: [:]) { texts, entry in texts[entry.key] = entry.value[language] ?? entry.value[.sv] ?? entry.key }
    }

    /// The keys that lack a text in some language.
    public var untranslatedKeys: [String] {
        entries.filter { entry in Language.allCases.contains { entry.value[$0]?.isEmpty ?? true } }.keys.sorted()
    }

    /// This catalogue with `other`'s texts added; `other` wins where both have a key.
    public func merging(_ other: StringCatalogue) -> StringCatalogue {
        StringCatalogue(entries.merging(other.entries) { _, new in new })
    }
}

/// A target's templates or texts could not be loaded: a packaging error, reported at start-up.
public struct PageSetupError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the file.
    public let message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
