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
/// transcoder writes and reads them, but through Foundation's `Date.ISO8601FormatStyle`: the
/// runtime's default formats through a shared, locked `ISO8601DateFormatter` and ICU, which cost
/// every answer with a date in it a few times as much (`make bench`, step n).
public struct KooperatorDateTranscoder: DateTranscoder {
    /// Creates the transcoder.
    public init() {}

    /// `2016-03-31T12:00:00Z`.
    public func encode(_ date: Date) throws -> String { date.formatted(.iso8601) }

    /// A date in ISO 8601's internet form (`2016-03-31T12:00:00Z`, or with an offset).
    public func decode(_ text: String) throws -> Date {
        do {
            return try Date.ISO8601FormatStyle().parse(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "Expected date string to be ISO8601-formatted."))
        }
    }
}
