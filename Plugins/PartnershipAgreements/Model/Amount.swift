import Foundation
import PluginKit

/// Amounts of money (SEK): never negative, at most two decimals (öre), below a billion.
enum Amount {
    /// Checks an amount from the input.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming `field`.
    static func check(_ value: Decimal, field: String, positive: Bool = false) throws(FeatureError) -> Decimal {
        guard value.isFinite, value >= 0, !(positive && value == 0) else {
            throw FeatureError(
                .invalidInput,
                "must be an amount \(positive ? "above" : "of at least") 0 (SEK), not \(value)",
                field: field,
                wording: positive ? "amountNotPositive" : "amountNegative"
            )
        }
        guard value < 1_000_000_000 else {
            throw FeatureError(.invalidInput, "must be below 1 000 000 000 (SEK), not \(value)", field: field, wording: "amountTooLarge")
        }
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 2, .plain)
        guard rounded == value else {
            throw FeatureError(.invalidInput, "must have at most two decimals (öre), not \(value)", field: field)
        }
        return value
    }
}
