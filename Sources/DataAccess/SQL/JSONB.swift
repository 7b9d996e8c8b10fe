import Foundation

/// A Codable value stored as `jsonb`.
///
/// ```swift
/// try tx.execute("INSERT INTO kernel.outbox (payload) VALUES (\(JSONB(event)))")
/// let payload = try row.decode("payload", as: JSONB<MyEvent>.self).value
/// ```
public struct JSONB<Value: Codable & Sendable>: Sendable, SQLEncodable, SQLDecodable {
    /// The wrapped value.
    public var value: Value

    /// Wraps a value to be stored as `jsonb`.
    public init(_ value: Value) { self.value = value }

    public static var sqlType: SQLType { .jsonb }

    public var sqlText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding a Codable value only fails for non-finite floats; store null rather than trap.
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    public static func accepts(_ type: SQLType) -> Bool { type == .jsonb || type == .json }

    public init?(sqlText: String, type: SQLType) {
        // Read through DataAccess's own parser where it reads the value as Foundation's decoder
        // would (most columns: flags, names, whole numbers), else through Foundation's.
        var text = sqlText
        if let value = text.withUTF8({ bytes in (try? JSONValue(parsing: bytes)).flatMap { JSONValueDecoder.decode(Value.self, from: $0) } }) {
            self.value = value
            return
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let value = try? decoder.decode(Value.self, from: Data(sqlText.utf8)) else { return nil }
        self.value = value
    }
}
