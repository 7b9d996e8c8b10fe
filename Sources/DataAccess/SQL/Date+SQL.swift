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
        // 2026-11-29 05:17:04.123456+00 (timestamptz) or without the offset (timestamp, read as UTC).
        let utf8 = Array(sqlText.utf8)
        guard utf8.count >= 19, let day = LocalDate(sqlText: String(decoding: utf8[0..<10], as: UTF8.self), type: .date) else {
            return nil
        }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: utf8[range], as: UTF8.self)) }
        guard let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return nil }
        var index = 19
        var micros = 0
        if index < utf8.count, utf8[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < utf8.count, utf8[index] >= UInt8(ascii: "0"), utf8[index] <= UInt8(ascii: "9") {
                if digits < 6 { micros = micros * 10 + Int(utf8[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offsetSeconds = 0
        if index < utf8.count {
            let sign = utf8[index] == UInt8(ascii: "-") ? -1 : 1
            let parts = String(decoding: utf8[(index + 1)...], as: UTF8.self).split(separator: ":").compactMap { Int($0) }
            guard !parts.isEmpty else { return nil }
            offsetSeconds = sign * (parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0))
        }
        let seconds = day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        self.init(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }
}
