public import Foundation

/// Instants are `timestamptz`. Connections run with `TimeZone=UTC` and `DateStyle=ISO`, so the
/// text is always `YYYY-MM-DD HH:MM:SS[.ffffff]+00`.
extension Date: SQLEncodable, SQLDecodable {
    public static var sqlType: SQLType { .timestamptz }

    public var sqlText: String {
        let micros = (timeIntervalSince1970 * 1_000_000).rounded()
        var seconds = Int64((micros / 1_000_000).rounded(.down))
        let fraction = Int64(micros) - seconds * 1_000_000
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        seconds -= Int64(days) * 86_400
        let day = LocalDate(daysSinceEpoch: days)
        let time = String(format: "%02d:%02d:%02d.%06d", Int(seconds / 3600), Int(seconds / 60 % 60), Int(seconds % 60), Int(fraction))
        return "\(day.sqlText) \(time)+00"
    }

    public static func accepts(_ type: SQLType) -> Bool { type == .timestamptz || type == .timestamp }

    public init?(sqlText: String, type: SQLType) {
        // 2026-11-29 05:17:04.123456+00 (timestamptz) or without the offset (timestamp, read as
        // UTC). Byte by byte in place: every timestamp column of every result row comes through
        // here, and a copy into an array and four strings cost a cooperative's read 2 µs.
        var text = sqlText
        guard let seconds = text.withUTF8(Self.secondsSince1970) else { return nil }
        self.init(timeIntervalSince1970: seconds)
    }

    /// The seconds since 1970 of PostgreSQL's text for a timestamp, or `nil` when it is not one.
    static func secondsSince1970(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        func number(_ positions: Range<Int>) -> Int? { LocalDate.number(in: bytes, at: positions) }
        guard bytes.count >= 19, let day = LocalDate(bytes: UnsafeBufferPointer(rebasing: bytes[0..<10])),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var index = 19
        var micros = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                if digits < 6 { micros = micros * 10 + Int(bytes[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offsetSeconds = 0
        if index < bytes.count {
            // +HH, +HH:MM or +HH:MM:SS (or -).
            guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), let hours = number(index + 1..<index + 3) else {
                return nil
            }
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            // Minutes and seconds each follow a colon when there.
            func part(at position: Int) -> Int? {
                guard position < bytes.count else { return 0 }
                guard bytes[position] == UInt8(ascii: ":") else { return nil }
                return number(position + 1..<position + 3)
            }
            guard let minutes = part(at: index + 3), let seconds = part(at: index + 6), bytes.count <= index + 9 else { return nil }
            offsetSeconds = sign * (hours * 3600 + minutes * 60 + seconds)
        }
        let seconds = day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Double(seconds) + Double(micros) / 1_000_000
    }
}
