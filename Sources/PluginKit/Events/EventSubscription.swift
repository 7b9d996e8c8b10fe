public import DataAccess

/// A feature's handler for one event name.
///
/// The handler runs inside the transaction that marks the delivery done, so its writes and
/// the acknowledgement land together. If it throws, its writes roll back and the delivery is
/// retried later with back-off; after the host's attempt limit it is marked failed and shown
/// by `kooperator events`. Delivery is at least once: make handlers idempotent (the
/// envelope's ``EventEnvelope/id`` is stable).
public struct EventSubscription: Sendable {
    /// The event name, e.g. `education.circleFormedCooperative`.
    public let eventName: String
    /// The handler.
    public let handle: @Sendable (EventEnvelope, Transaction) throws -> Void

    /// Subscribes to an event by name.
    ///
    /// - Parameters:
    ///   - eventName: The published name.
    ///   - handle: The handler; it runs in a transaction and must be idempotent.
    public init(_ eventName: String, handle: @escaping @Sendable (EventEnvelope, Transaction) throws -> Void) {
        self.eventName = eventName
        self.handle = handle
    }
}
