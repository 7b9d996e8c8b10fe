public import DataAccess
import Foundation

/// Writes a feature's events into the kernel outbox, inside the caller's transaction.
///
/// The event exists only if the transaction commits; the host delivers it after the commit.
public struct EventPublisher: Sendable {
    /// The publishing feature's id; event names must start with it.
    public let featureID: String
    let afterCommit: @Sendable () -> Void

    /// Creates a publisher; `afterCommit` runs after each publishing transaction commits (the host
    /// uses it to wake its dispatcher).
    public init(featureID: String, afterCommit: @escaping @Sendable () -> Void = {}) {
        self.featureID = featureID
        self.afterCommit = afterCommit
    }

    /// Adds the event to the outbox in `transaction`.
    ///
    /// - Parameters:
    ///   - event: The event.
    ///   - transaction: The transaction of the write that caused it.
    /// - Returns: The outbox id.
    /// - Throws: ``EventError`` when the name does not start with the feature id; ``DatabaseError``.
    @discardableResult
    public func publish<Event: FeatureEvent>(_ event: Event, in transaction: Transaction) throws -> Int {
        guard Event.name.hasPrefix(featureID + ".") else {
            throw EventError(message: "event \(Event.name) must be named \(featureID).<name> to be published by \(featureID)")
        }
        let row = try transaction.query(
            """
            INSERT INTO kernel.outbox (feature, name, version, payload)
            VALUES (\(featureID), \(Event.name), \(Event.version), \(JSONB(event)))
            RETURNING id
            """
        ).single()
        transaction.onCommit(afterCommit)
        return try row.decode("id")
    }
}

/// An event could not be published.
public struct EventError: Error, Sendable, CustomStringConvertible {
    /// What was wrong.
    public let message: String
    public var description: String { message }
}
