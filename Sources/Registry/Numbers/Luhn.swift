/// The Luhn (mod 10) check digit used by personnummer, samordningsnummer and organisation numbers.
///
/// Digits are values 0–9 (not ASCII codes). Weights 2, 1, 2, 1, … run from the left of the
/// digits the check digit protects; the digits of each product are summed.
enum Luhn {
    /// The check digit for `digits` (the number without its check digit).
    static func checkDigit(_ digits: some Collection<UInt8>) -> UInt8 {
        var sum = 0
        for (offset, digit) in digits.enumerated() {
            let product = Int(digit) * (offset.isMultiple(of: 2) ? 2 : 1)
            sum += product / 10 + product % 10
        }
        return UInt8((10 - sum % 10) % 10)
    }

    /// Whether the last of `digits` is the check digit of the ones before it.
    static func isValid(_ digits: some Collection<UInt8>) -> Bool {
        guard !digits.isEmpty, let last = digits.dropFirst(digits.count - 1).first else { return false }
        return checkDigit(digits.dropLast()) == last
    }
}
