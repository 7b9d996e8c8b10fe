public import DataAccess
import Foundation

/// Writes a feature's events into the kernel outbox, inside the caller's transaction.
///
/// The event exists only if the transaction commits; the host delivers it after the commit.
public struct EventPublisher: Sendable {
    /// The publishing feature's id; event names must start with it.
    let featureID: String
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
    /// - Throws: An error naming the event when its name does not start with the feature id; ``DatabaseError``.
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

/// An event could not be published: its name is not the publishing feature's (a programming
/// error the feature's tests catch).
struct EventError: Error, Sendable, CustomStringConvertible {
    /// What was wrong.
    let message: String
    var description: String { message }
}
