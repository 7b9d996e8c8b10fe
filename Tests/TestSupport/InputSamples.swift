public import PropertyBased

/// What a fuzzer throws at the parsers: texts shaped like dates, months, periods and numbers
/// with every part out of bounds, and stray characters. The property tests of each target
/// draw from these, so every parser meets the same hostile input.
public enum InputSamples {
    /// Digits, signs, blanks and separators: the characters that make a parser slip.
    static let alphabet: [Character] = Array("0123456789-+ QT:.,/eE\u{0}\u{00A0}٣")

    /// Up to 14 of ``alphabet`` in any order.
    public static let noise = Gen.element(of: alphabet).array(of: 0...14).map { String($0.compactMap { $0 }) }

    /// `YYYY-MM-DD` with any year 0–9999, months 0–13 and days 0–32: valid days in and out of
    /// the supported range, and days that do not exist.
    public static let dateShaped = zip(Gen.int(in: 0...9999), Gen.int(in: 0...13), Gen.int(in: 0...32)).map { parts in
        padded(parts.0, 4) + "-" + padded(parts.1, 2) + "-" + padded(parts.2, 2)
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-Qn` with any year 0–9999 and out-of-range months and quarters.
    public static let periodShaped = zip(Gen.int(in: 0...9999), Gen.int(in: 0...13), Gen.int(in: 0...2)).map { parts in
        let (year, part, form) = parts
        return switch form {
        case 0: padded(year, 4)
        case 1: padded(year, 4) + "-" + padded(part, 2)
        default: padded(year, 4) + "-Q" + String(part % 6)
        }
    }

    /// Whole numbers of every size, as text: the edges of `Int`, past them, and signs.
    public static let numberShaped = zip(Gen.int(), Gen.int(in: 0...4)).map { parts in
        let (value, form) = parts
        return switch form {
        case 0: String(value)
        case 1: String(value % 3000)
        case 2: String(value) + "9"
        case 3: "+" + String(value.magnitude)
        default: String(value.magnitude) + String(value.magnitude)
        }
    }

    /// Any of the above.
    public static let any = Gen<String>.oneOf(noise, dateShaped, periodShaped, numberShaped)

    /// `value` with leading zeros to `width` digits.
    public static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
