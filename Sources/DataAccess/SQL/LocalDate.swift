/// A calendar day without a time or time zone: PostgreSQL's `date`.
///
/// Start, end and review dates of assignments, agreements and projects are days, not
/// instants; this type keeps them from drifting across time zones.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The year, e.g. 2026.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, 1–31.
    public let day: Int

    /// Creates a day; returns `nil` when the date does not exist (e.g. 2026-02-30) or its year is
    /// beyond a million years from year 0.
    public init?(year: Int, month: Int, day: Int) {
        guard LocalDate.years.contains(year), (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year) else {
            return nil
        }
        self.init(valid: year, month, day)
    }

    /// A day already known to exist.
    init(valid year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The first day of `month` in `year`; a month past 12 or below 1 counts on into the
    /// following or back into the preceding years (month 13 of 2016 is January 2017), so
    /// month arithmetic needs no check.
    /// Years past ``years`` are clamped to its bounds.
    public static func firstDay(ofMonth month: Int, in year: Int) -> LocalDate {
        // Clamped first, so that no sum below can overflow.
        let bound = 12 * LocalDate.years.upperBound
        let zeroBased = min(max(month, -bound), bound) - 1
        let years = zeroBased >= 0 ? zeroBased / 12 : (zeroBased - 11) / 12
        let clampedYear = min(max(year, LocalDate.years.lowerBound), LocalDate.years.upperBound)
        return LocalDate(
            valid: min(max(clampedYear + years, LocalDate.years.lowerBound), LocalDate.years.upperBound),
            zeroBased - years * 12 + 1,
            1
        )
    }

    /// The last day of `month` in `year`, counting months on as ``firstDay(ofMonth:in:)`` does.
    public static func lastDay(ofMonth month: Int, in year: Int) -> LocalDate {
        let first = firstDay(ofMonth: month, in: year)
        return LocalDate(valid: first.year, first.month, daysIn(month: first.month, year: first.year))
    }

    /// The same day `count` calendar months later (earlier when negative), or the month's last
    /// day when it is shorter (2016-08-31 plus six months is 2017-02-28).
    public func adding(months count: Int) -> LocalDate {
        let last = LocalDate.lastDay(ofMonth: month + count, in: year)
        return LocalDate(valid: last.year, last.month, min(day, last.day))
    }

    /// Parses `YYYY-MM-DD` (digits only: no sign, no spaces).
    public init?(_ text: String) {
        // Byte by byte: every date column of every result row comes through here.
        var text = text
        guard let day = text.withUTF8({ LocalDate(bytes: $0) }) else { return nil }
        self = day
    }

    /// Parses `YYYY-MM-DD` from exactly these ten bytes (a timestamp's first ten, say).
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = Self.number(in: bytes, at: 0..<4), let month = Self.number(in: bytes, at: 5..<7),
            let day = Self.number(in: bytes, at: 8..<10)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The decimal number the bytes at `positions` spell, digits only; `nil` for anything else,
    /// an empty range or one past the end.
    static func number(in bytes: UnsafeBufferPointer<UInt8>, at positions: Range<Int>) -> Int? {
        guard !positions.isEmpty, positions.upperBound <= bytes.count else { return nil }
        var value = 0
        for position in positions {
            let digit = Int(bytes[position]) - Int(UInt8(ascii: "0"))
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// The day `days` after 1970-01-01 (negative for earlier days).
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days, over days clamped to ±maximumDays.
        let z = min(max(days, -LocalDate.maximumDays), LocalDate.maximumDays) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> LocalDate {
        // Clamped: a count past any calendar (a number someone typed) gives a far day, never a trap.
        let limit = LocalDate.maximumDays
        let (sum, overflow) = daysSinceEpoch.addingReportingOverflow(count)
        return LocalDate(daysSinceEpoch: overflow ? (count > 0 ? limit : -limit) : min(max(sum, -limit), limit))
    }

    /// The most days from 1970 a computed date may lie (about 800 000 years), so that the
    /// calendar arithmetic never overflows.
    static let maximumDays = 300_000_000

    /// The years a day may have: beyond them the calendar arithmetic could overflow.
    static let years = -1_000_000...1_000_000

    /// `YYYY-MM-DD`.
    public var description: String {
        let y = String(year)
        let m = month < 10 ? "0\(month)" : String(month)
        let d = day < 10 ? "0\(day)" : String(day)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + m + "-" + d
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Encodes as the string `YYYY-MM-DD`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Decodes from the string `YYYY-MM-DD`, within ``supported`` (a decoded date is one a
    /// client gave).
    ///
    /// - Throws: `DecodingError.dataCorrupted` whose underlying error is the ``InputError``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try LocalDate(input: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message, underlyingError: error))
        }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension LocalDate: SQLEncodable, SQLDecodable {
    public static var sqlType: SQLType { .date }
    public var sqlText: String { description }
    public static func accepts(_ type: SQLType) -> Bool { type == .date }
    public init?(sqlText: String, type: SQLType) { self.init(sqlText) }
}
