public import Foundation
public import PluginKit

/// Checks for the text and numbers that come in through the API and the CLI, each failing with
/// a ``FeatureError`` that names the field and the reason.
public enum Input {
    /// A required line of text: trimmed, not empty, at most `maxLength` characters, no
    /// control characters.
    ///
    /// - Parameters:
    ///   - value: The text as given.
    ///   - field: The field's JSON pointer, e.g. `/name`.
    ///   - maxLength: The most characters allowed.
    /// - Returns: The trimmed text.
    /// - Throws: ``FeatureError`` `.invalidInput` naming `field`.
    public static func text(_ value: String, field: String, maxLength: Int = 200) throws(FeatureError) -> String {
        let trimmed = trim(value)
        guard !trimmed.isEmpty else { throw FeatureError(.invalidInput, "must not be empty", field: field, wording: "empty") }
        guard trimmed.count <= maxLength else {
            throw FeatureError(
                .invalidInput,
                "is \(trimmed.count) characters long; at most \(maxLength) are allowed",
                field: field,
                wording: Wording("tooLong", ["length": "\(trimmed.count)", "max": "\(maxLength)"])
            )
        }
        if let position = trimmed.unicodeScalars.firstIndex(where: { $0.properties.generalCategory == .control }) {
            let offset = trimmed.unicodeScalars.distance(from: trimmed.unicodeScalars.startIndex, to: position)
            throw FeatureError(
                .invalidInput,
                "contains a control character at position \(offset + 1)",
                field: field,
                wording: Wording("controlCharacter", ["position": "\(offset + 1)"])
            )
        }
        return trimmed
    }

    /// An optional line of text: `nil` or blank gives `nil`; otherwise as ``text(_:field:maxLength:)``.
    public static func optionalText(_ value: String?, field: String, maxLength: Int = 200) throws(FeatureError) -> String? {
        guard let value, !trim(value).isEmpty else { return nil }
        return try text(value, field: field, maxLength: maxLength)
    }

    /// A whole number within `range`.
    public static func number(_ value: Int, field: String, in range: ClosedRange<Int>) throws(FeatureError) -> Int {
        guard range.contains(value) else {
            throw FeatureError(
                .invalidInput,
                "must be between \(range.lowerBound) and \(range.upperBound), not \(value)",
                field: field,
                wording: Wording("outOfRange", ["low": "\(range.lowerBound)", "high": "\(range.upperBound)", "value": "\(value)"])
            )
        }
        return value
    }

    /// An amount in kronor: not negative, under ten thousand million, at most two decimals (öre).
    ///
    /// - Parameters:
    ///   - value: The amount as given.
    ///   - field: The field's JSON pointer, e.g. `/amount`.
    /// - Returns: The amount.
    /// - Throws: ``FeatureError`` `.invalidInput` naming `field`.
    public static func amount(_ value: Decimal, field: String) throws(FeatureError) -> Decimal {
        guard value >= 0, value < 10_000_000_000 else {
            throw FeatureError(.invalidInput, "must be an amount of 0 or more (SEK), not \(value)", field: field)
        }
        var rounded = Decimal()
        var copy = value
        NSDecimalRound(&rounded, &copy, 2, .plain)
        guard rounded == value else { throw FeatureError(.invalidInput, "has more than two decimals: \(value)", field: field) }
        return value
    }

    static func trim(_ value: String) -> String {
        var scalars = Substring(value)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
