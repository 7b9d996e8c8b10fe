import DataAccess

@testable import Registry

/// A valid personnummer or samordningsnummer built from its parts, for property tests.
struct IdentitySample {
    /// How the sample is typed.
    enum Form: CaseIterable {
        /// `YYMMDD-NNNC` (or `+`).
        case tenWithSeparator
        /// `YYMMDDNNNC`, or `YYMMDD+NNNC` when a `+` is required.
        case tenPlain
        /// `YYYYMMDD-NNNC` (or `+` when allowed and chosen).
        case twelveWithSeparator
        /// `YYYYMMDDNNNC`.
        case twelvePlain
    }

    let birthDate: LocalDate
    let serial: Int
    let coordination: Bool

    /// The ten digits `YYMMDDNNNC`, with the computed check digit.
    var short: String {
        let day = birthDate.day + (coordination ? 60 : 0)
        let body = Self.pad(birthDate.year % 100, 2) + Self.pad(birthDate.month, 2) + Self.pad(day, 2) + Self.pad(serial, 3)
        return body + String(Luhn.checkDigit(body.utf8.map { $0 - 48 }))
    }

    /// The twelve stored digits `YYYYMMDDNNNC`.
    var stored: String { Self.pad(birthDate.year, 4) + short.dropFirst(2) }

    /// The sample typed in `form`, with the separator the rules require for `today`.
    func typed(_ form: Form, plusIfAllowed: Bool, today: LocalDate) -> String {
        let centenarian = today.year - birthDate.year >= 100
        switch form {
        case .tenWithSeparator:
            return short.prefix(6) + (centenarian ? "+" : "-") + short.suffix(4)
        case .tenPlain:
            return centenarian ? short.prefix(6) + "+" + short.suffix(4) : short
        case .twelveWithSeparator:
            return stored.prefix(8) + (centenarian && plusIfAllowed ? "+" : "-") + stored.suffix(4)
        case .twelvePlain:
            return stored
        }
    }

    /// Every text that differs from `text` in exactly one of its last ten digits (the ones the
    /// check digit protects).
    static func singleDigitChanges(of text: String) -> [String] {
        let bytes = Array(text.utf8)
        let digitOffsets = bytes.indices.filter { (48...57).contains(bytes[$0]) }.suffix(10)
        var changes: [String] = []
        for offset in digitOffsets {
            for replacement in UInt8(48)...57 where replacement != bytes[offset] {
                var changed = bytes
                changed[offset] = replacement
                changes.append(String(decoding: changed, as: UTF8.self))
            }
        }
        return changes
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let plain = String(value)
        return String(repeating: "0", count: max(0, width - plain.count)) + plain
    }
}
