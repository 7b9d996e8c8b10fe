import DataAccess
public import Foundation
public import OpenAPIRuntime

extension Configuration {
    /// How every feature's generated handlers write JSON: compact, slashes as they are, dates as
    /// ISO 8601 (`2016-03-31T12:00:00Z`). Keys are not sorted, as the routes before the generated
    /// code did not sort them: JSON objects are unordered, Foundation's encoder writes keys in no
    /// fixed order, and sorting every object's keys cost a cheap read more than a tenth of its
    /// time (`make bench`, step n).
    ///
    /// ```swift
    /// try SupervisionAPI(store: store).registerHandlers(on: APITransport(group), configuration: .kooperator)
    /// ```
    public static let kooperator = Configuration(
        dateTranscoder: KooperatorDateTranscoder(),
        jsonEncodingOptions: [.withoutEscapingSlashes]
    )
}

/// ISO 8601 dates without fractional seconds (`2016-03-31T12:00:00Z`), as the runtime's default
/// transcoder writes and reads them, but without its shared, locked `ISO8601DateFormatter` and
/// ICU, which cost every answer with a date in it a few times as much (`make bench`, step n).
public struct KooperatorDateTranscoder: DateTranscoder {
    /// Creates the transcoder.
    public init() {}

    /// `2016-03-31T12:00:00Z`: the second the date falls in, in UTC.
    ///
    /// Written digit by digit from the Gregorian calendar's first day (1582-10-15) to the end of
    /// 9999, as `Date.ISO8601FormatStyle` writes them (which `DateTranscoderTests` holds it to);
    /// that style alone cost a cooperative's read, with its two dates, 4 µs
    /// (`Benchmarks/cpu-per-request.sh`). Other dates go through the style, which counts the
    /// days before 1582-10-15 in the Julian calendar.
    public func encode(_ date: Date) throws -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        // 1582-10-15T00:00:00Z ..< 10000-01-01T00:00:00Z
        guard seconds >= -12_219_292_800, seconds < 253_402_300_800 else { return date.formatted(.iso8601) }
        let (days, second) = Int(seconds).quotientAndRemainder(dividingBy: 86_400)
        let (day, time) = second < 0 ? (days - 1, second + 86_400) : (days, second)
        let calendarDay = LocalDate(daysSinceEpoch: day)
        return String(unsafeUninitializedCapacity: 20) { bytes in
            func put(_ value: Int, digits: Int, at start: Int) {
                var value = value
                for index in stride(from: start + digits - 1, through: start, by: -1) {
                    bytes[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(calendarDay.year, digits: 4, at: 0)
            put(calendarDay.month, digits: 2, at: 5)
            put(calendarDay.day, digits: 2, at: 8)
            put(time / 3600, digits: 2, at: 11)
            put(time / 60 % 60, digits: 2, at: 14)
            put(time % 60, digits: 2, at: 17)
            (bytes[4], bytes[7], bytes[10]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "T"))
            (bytes[13], bytes[16], bytes[19]) = (UInt8(ascii: ":"), UInt8(ascii: ":"), UInt8(ascii: "Z"))
            return 20
        }
    }

    /// A date in ISO 8601's internet form (`2016-03-31T12:00:00Z`, or with an offset).
    public func decode(_ text: String) throws -> Date {
        do {
            return try Date.ISO8601FormatStyle().parse(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "Expected date string to be ISO8601-formatted."))
        }
    }
}
