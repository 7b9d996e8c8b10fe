/// A message as a key of a string catalogue and the values of its `{placeholders}`, so a page
/// says it in the reader's language while the API, the CLI and the logs give the English
/// ``FeatureError/message``.
///
/// ```swift
/// throw FeatureError(
///     .invalidInput, "must be between \(range.lowerBound) and \(range.upperBound), not \(value)", field: field,
///     wording: Wording("outOfRange", ["low": "\(range.lowerBound)", "high": "\(range.upperBound)", "value": "\(value)"])
/// )
/// ```
///
/// A page looks an error's key up as `error_<key>` (`"error_outOfRange": {"sv": "Ange ett tal från {low} till {high}."}`);
/// other wordings under the prefix their page gives (PageKit's `StringCatalogue.text(_:prefix:_:)`).
public struct Wording: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The catalogue key, without its prefix (`error_` for an error).
    public var key: String
    /// The values of the text's `{placeholders}`, by name.
    public var values: [String: String]

    /// Creates a wording.
    ///
    /// - Parameters:
    ///   - key: The catalogue key, without its prefix.
    ///   - values: The values of the text's placeholders.
    public init(_ key: String, _ values: [String: String] = [:]) {
        self.key = key
        self.values = values
    }

    /// A wording without placeholders: `wording: "wagesReversed"`.
    public init(stringLiteral key: String) { self.init(key) }

    /// `template` with every `{name}` replaced by its value, in one pass (a value holding
    /// `{other}` stays as it is); a placeholder without a value stays too.
    public func filling(_ template: String) -> String {
        var filled = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            filled += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let value = values[String(after[..<close])] {
                filled += value
                rest = after[after.index(after: close)...]
                // A value that ends a sentence with its own full stop ("Café Gläntan ek. för.")
                // takes the template's place: one stop, not two.
                if value.hasSuffix("."), rest.first == "." { rest = rest.dropFirst() }
            } else {
                filled += "{"
                rest = after
            }
        }
        return filled + rest
    }
}
