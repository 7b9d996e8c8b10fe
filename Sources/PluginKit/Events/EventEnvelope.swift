public import Foundation

/// An event as a subscriber receives it: its outbox id, name, version and JSON payload.
public struct EventEnvelope: Sendable, Hashable {
    /// The outbox row id; stable across redeliveries, so handlers can be idempotent by it.
    public let id: Int
    /// The event's name.
    public let name: String
    /// The payload's version.
    let version: Int
    /// The payload as JSON text.
    let payload: String
    /// When the publishing transaction wrote it.
    let publishedAt: Date
    /// How many times delivery to this subscriber was tried before (0 on the first try).
    public let previousAttempts: Int

    /// Creates an envelope; the host's dispatcher does this.
    public init(id: Int, name: String, version: Int, payload: String, publishedAt: Date, previousAttempts: Int) {
        self.id = id
        self.name = name
        self.version = version
        self.payload = payload
        self.publishedAt = publishedAt
        self.previousAttempts = previousAttempts
    }

    /// Decodes the payload into the subscriber's own type.
    ///
    /// - Throws: `DecodingError` when the payload does not fit.
    public func decode<Payload: Decodable>(_ type: Payload.Type = Payload.self) throws -> Payload {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Payload.self, from: Data(payload.utf8))
    }
}
