public import DataAccess

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A validated Swedish personnummer or samordningsnummer (coordination number).
///
/// Stored as twelve digits with the century, `YYYYMMDDNNNC`. The full number is sensitive:
/// ``description`` (and so string interpolation), `dump` and `Encodable` give only the
/// ``masked`` form, and errors never repeat the input. Use ``formatted`` or ``digits`` only where the full number is needed.
public struct IdentityNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Which kind of identity number this is.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A personnummer: the day digits are the day of birth.
        case personnummer
        /// A samordningsnummer: the day digits are the day of birth plus 60 (61–91).
        case samordningsnummer
    }

    /// The twelve digits `YYYYMMDDNNNC`, without a separator.
    public let digits: String

    /// Whether the number is a personnummer or a samordningsnummer (day digits 61–91).
    public var kind: Kind { Self.value(of: digits, at: 6, count: 2) > 60 ? .samordningsnummer : .personnummer }

    /// The real birth date: for a samordningsnummer, the day digits minus 60.
    public var birthDate: LocalDate {
        let day = Self.value(of: digits, at: 6, count: 2)
        // Every initializer validates the date, so it exists; the month's first day stands in otherwise.
        let (year, month) = (Self.value(of: digits, at: 0, count: 4), Self.value(of: digits, at: 4, count: 2))
        return LocalDate(year: year, month: month, day: day > 60 ? day - 60 : day) ?? LocalDate.firstDay(ofMonth: month, in: year)
    }

    /// Parses a number as typed: ten or twelve digits, optionally with a `-` or `+` right
    /// before the last four (`YYMMDD-NNNC`, `YYMMDDNNNC`, `YYYYMMDD-NNNC`, `YYYYMMDDNNNC`).
    ///
    /// Surrounding whitespace is ignored. A ten-digit number gets its century from the
    /// separator: with `-` or none, the person turns less than 100 in `today`'s year; with `+`,
    /// 100 or more. A twelve-digit number keeps its century, and a `+` there must agree with it.
    ///
    /// - Parameters:
    ///   - text: The number as typed.
    ///   - kind: The kind required, or `nil` to accept both.
    ///   - today: The current day, which the birth date may not be after.
    /// - Throws: ``NumberError`` saying what was wrong (without repeating the number).
    public init(parsing text: String, expecting kind: Kind? = nil, today: LocalDate) throws(NumberError) {
        let scanned = try ScannedDigits(text)
        guard scanned.digits.count == 10 || scanned.digits.count == 12 else {
            throw .wrongLength(expected: "10 or 12 digits", got: scanned.digits.count)
        }
        let separator = try scanned.separator()
        let short = Array(scanned.digits.suffix(10))
        let twoDigitYear = Self.value(of: short, at: 0, count: 2)
        let year: Int
        if scanned.digits.count == 12 {
            year = Self.value(of: scanned.digits, at: 0, count: 4)
        } else if separator == .plus {
            year = Self.latestYear(endingIn: twoDigitYear, notAfter: today.year - 100)
        } else {
            year = Self.latestYear(endingIn: twoDigitYear, notAfter: today.year)
        }
        let birthDate = try Self.validatedBirthDate(year: year, short: short, expecting: kind)
        guard Luhn.isValid(short) else { throw .badCheckDigit }
        if separator == .plus, today.year - year < 100 {
            throw NumberError(.centuryMismatch, "a '+' separator means the person turns 100 or more this year, which the birth year contradicts")
        }
        guard birthDate <= today else { throw NumberError(.futureDate, "the birth date is in the future") }
        self.init(validated: Self.fourDigits(year) + Self.text(of: short.dropFirst(2)))
    }

    /// Validates twelve digits as stored, `YYYYMMDDNNNC`, with no separator or whitespace.
    ///
    /// Checks the date and the check digit, but not against today's date.
    /// - Throws: ``NumberError`` saying what was wrong (without repeating the number).
    public init(storedDigits: String) throws(NumberError) {
        let bytes = Array(storedDigits.utf8)
        guard bytes.allSatisfy({ (48...57).contains($0) }) else { throw .notDigits }
        guard bytes.count == 12 else { throw .wrongLength(expected: "12 digits", got: bytes.count) }
        let short = Array(bytes[2...].map { $0 - 48 })
        _ = try Self.validatedBirthDate(year: Self.value(of: storedDigits, at: 0, count: 4), short: short, expecting: nil)
        guard Luhn.isValid(short) else { throw .badCheckDigit }
        self.init(validated: storedDigits)
    }

    /// The personnummer of someone born on `birthDate` with the three-digit `serial` (its
    /// ninth digit odd for men, even for women); the check digit is computed.
    ///
    /// - Returns: `nil` for a serial outside 0…999 or a year outside 1000…9999.
    public init?(birthDate: LocalDate, serial: Int) {
        guard (0...999).contains(serial), (1000...9999).contains(birthDate.year) else { return nil }
        func digits(_ value: Int, _ count: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, count - text.count)) + text
        }
        let withoutCheck = digits(birthDate.year, 4) + digits(birthDate.month, 2) + digits(birthDate.day, 2) + digits(serial, 3)
        let check = Luhn.checkDigit(withoutCheck.utf8.dropFirst(2).map { $0 - 48 })
        self.init(validated: withoutCheck + String(check))
    }

    private init(validated digits: String) {
        self.digits = digits
    }

    /// The full number, `YYYYMMDD-NNNC`. Show it only where the full number is needed.
    public var formatted: String { String(digits.prefix(8)) + "-" + String(digits.suffix(4)) }

    /// The number with its last four digits hidden, `YYYYMMDD-****` (for a samordningsnummer the
    /// day digits are its own, e.g. `19850161-****`).
    public var masked: String { String(digits.prefix(8)) + "-****" }

    /// The age in whole years on `date` (negative before the birth date).
    ///
    /// Someone born on 29 February turns a year older on 28 February in common years: when a
    /// month lacks the day, the period ends on the month's last day.
    public func age(on date: LocalDate) -> Int {
        let birth = birthDate
        var birthday = (month: birth.month, day: birth.day)
        if birthday == (2, 29), LocalDate(year: date.year, month: 2, day: 29) == nil {
            birthday.day = 28
        }
        let beforeBirthday = (date.month, date.day) < birthday
        return date.year - birth.year - (beforeBirthday ? 1 : 0)
    }

    /// The ``masked`` number, so that logs and string interpolation never show the full number.
    public var description: String { masked }

    /// Encodes as the ``masked`` string, `YYYYMMDD-****`, never the whole number: whatever a
    /// number ends up in (a JSON answer, an event payload, an audit row, a log line) holds it
    /// masked. The one way to the whole stored number is `Registry.revealIdentityNumber(…)`,
    /// which audits each reading; code that must write a whole number (the statistics agency's
    /// export) writes ``formatted`` explicitly.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(masked)
    }

    /// Decodes from a string, parsed as by ``init(parsing:expecting:today:)`` with today's UTC date.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text, today: Self.currentUTCDate())
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: container.codingPath,
                    debugDescription: "not a valid identity number: \(error.message)",
                    underlyingError: error
                )
            )
        }
    }

    /// Checks the date in the ten digits `YYMMDDNNNC` of `short` (with `year` as the full year)
    /// and the kind the day digits imply, and returns the real birth date.
    private static func validatedBirthDate(year: Int, short: [UInt8], expecting expected: Kind?) throws(NumberError) -> LocalDate {
        let month = value(of: short, at: 2, count: 2)
        let day = value(of: short, at: 4, count: 2)
        let isCoordination = (61...91).contains(day)
        switch expected {
        case .personnummer? where isCoordination:
            throw NumberError(.coordinationNumberGiven, "a samordningsnummer (day of birth plus 60) was given where a personnummer is required")
        case .samordningsnummer? where !isCoordination && (1...31).contains(day):
            throw NumberError(.notACoordinationNumber, "a personnummer was given where a samordningsnummer (day of birth plus 60) is required")
        default:
            break
        }
        guard let date = LocalDate(year: year, month: month, day: isCoordination ? day - 60 : day) else {
            throw NumberError(.impossibleDate, "the birth date does not exist")
        }
        return date
    }

    /// The latest year not after `limit` whose last two digits are `twoDigits`.
    private static func latestYear(endingIn twoDigits: Int, notAfter limit: Int) -> Int {
        limit - ((limit - twoDigits) % 100 + 100) % 100
    }

    /// Today's date in UTC.
    private static func currentUTCDate() -> LocalDate {
        LocalDate(daysSinceEpoch: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    /// The number formed by `count` digit values (0–9) starting at `offset`.
    private static func value(of digits: [UInt8], at offset: Int, count: Int) -> Int {
        digits[offset..<offset + count].reduce(0) { $0 * 10 + Int($1) }
    }

    /// The number formed by `count` ASCII digits starting at `offset`.
    private static func value(of text: String, at offset: Int, count: Int) -> Int {
        text.utf8.dropFirst(offset).prefix(count).reduce(0) { $0 * 10 + Int($1) - 48 }
    }

    /// A year as four digits, zero-padded.
    private static func fourDigits(_ year: Int) -> String {
        let plain = String(year)
        return String(repeating: "0", count: max(0, 4 - plain.count)) + plain
    }

    /// The ASCII text of digit values (0–9).
    private static func text(of digits: some Collection<UInt8>) -> String {
        String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
    }
}

extension IdentityNumber: CustomReflectable {
    /// Shows only the masked number, so `dump`, debuggers and test failure output never print
    /// the full number.
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked], displayStyle: .struct) }
}
