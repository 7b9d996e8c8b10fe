public import Foundation

/// Amounts in kronor as a caseworker reads and writes them: "100 000 kr", "412,50 kr" in Swedish
/// ("100,000 kr", "412.50 kr" in English); the API keeps its JSON numbers.
public enum Kronor {
    /// `amount` to show: grouped, two decimals when there are öre, and "kr".
    public static func text(_ amount: Decimal, _ language: Language) -> String {
        let (whole, fraction, negative) = parts(amount)
        let (group, decimal) = language == .en ? (",", ".") : ("\u{00A0}", ",")
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = group + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        grouped = digits + grouped
        let cents = fraction == 0 ? "" : decimal + (fraction < 10 ? "0" : "") + String(fraction)
        return (negative ? "−" : "") + grouped + cents + "\u{00A0}kr"
    }

    /// `amount` for a form's field, as a person would type it: `1234,50` in Swedish, `1234.50` in
    /// English, without the öre when there are none.
    public static func input(_ amount: Decimal, _ language: Language) -> String {
        let (whole, fraction, negative) = parts(amount)
        let cents = fraction == 0 ? "" : (language == .en ? "." : ",") + (fraction < 10 ? "0" : "") + String(fraction)
        return (negative ? "-" : "") + String(whole) + cents
    }

    /// The kronor, the öre and the sign, rounded to the öre.
    static func parts(_ amount: Decimal) -> (whole: Int64, fraction: Int64, negative: Bool) {
        let cents = NSDecimalNumber(decimal: amount * 100).int64Value
        return (abs(cents) / 100, abs(cents) % 100, cents < 0)
    }
}
