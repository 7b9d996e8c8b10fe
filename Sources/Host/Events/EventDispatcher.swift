import DataAccess
import Foundation
import Logging
import PluginKit
import ServiceLifecycle

/// Delivers outbox events to the subscribed features after the publishing transaction
/// commits: at least once, with retries and back-off, and never twice at the same time
/// across hosts (`FOR UPDATE SKIP LOCKED`).
///
/// Each new outbox row is fanned out into one delivery per enabled subscriber. A delivery
/// runs its handler inside the transaction that marks it done; a throwing handler is rolled
/// back to a savepoint, the attempt is recorded, and the delivery is retried after
/// `retryDelay × 2^(attempts-1)` until `maxAttempts`, then marked failed.
final class EventDispatcher: Service, Sendable {
    let database: Database
    let subscriptions: [String: [(subscriber: String, subscription: EventSubscription)]]
    let settings: HostConfiguration.EventSettings
    let logger: Logger
    let bell: Bell

    /// - Parameters:
    ///   - subscriptions: Each enabled feature's handlers, by the feature's id.
    ///   - bell: Rung by publishers after their commits.
    init(
        database: Database,
        subscriptions list: [(subscriber: String, subscription: EventSubscription)],
        settings: HostConfiguration.EventSettings,
        logger: Logger,
        bell: Bell
    ) {
        self.database = database
        var subscriptions: [String: [(subscriber: String, subscription: EventSubscription)]] = [:]
        for (subscriber, subscription) in list {
            subscriptions[subscription.eventName, default: []].append((subscriber, subscription))
        }
        self.subscriptions = subscriptions
        self.bell = bell
        self.settings = settings
        self.logger = logger
    }

    /// Wakes the dispatcher now (after a publishing transaction committed).
    func nudge() { bell.ring() }

    func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    _ = try await dispatchPending()
                } catch let error as DatabaseError where error.isUnavailable {
                    logger.debug("event dispatch waits for the database: \(error)")
                } catch {
                    logger.error("event dispatch failed: \(error)")
                }
                await withTaskCancellationHandler {
                    await bell.wait(timeout: settings.pollInterval)
                } onCancel: { [bell] in
                    bell.ring()
                }
            }
        } onGracefulShutdown: { [bell] in
            bell.ring()
        }
    }

    /// Fans out new events and tries every delivery that is due, each at most once per pass
    /// (a retry scheduled during the pass waits for the next one).
    ///
    /// - Returns: The number of deliveries attempted.
    @discardableResult
    func dispatchPending() async throws -> Int {
        try await fanOut()
        let passStart = Date()
        var attempted = 0
        while try await deliverNext(dueBy: passStart) { attempted += 1 }
        return attempted
    }

    /// Creates a delivery row per subscriber for events not yet fanned out.
    func fanOut() async throws {
        let subscribersByEvent = subscriptions.mapValues { $0.map(\.subscriber) }
        try await database.transaction { tx in
            let events = try tx.query(
                "SELECT id, name FROM kernel.outbox WHERE NOT fanned_out ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED"
            )
            for event in events {
                let id: Int = try event.decode("id")
                let name: String = try event.decode("name")
                for subscriber in subscribersByEvent[name] ?? [] {
                    try tx.execute(
                        "INSERT INTO kernel.event_deliveries (event_id, subscriber) VALUES (\(id), \(subscriber)) ON CONFLICT DO NOTHING"
                    )
                }
                try tx.execute("UPDATE kernel.outbox SET fanned_out = true WHERE id = \(id)")
            }
        }
    }

    /// Takes one due delivery of an enabled subscriber and runs its handler.
    ///
    /// - Returns: `false` when nothing was due.
    func deliverNext(dueBy due: Date) async throws -> Bool {
        let subscriptions = self.subscriptions
        let subscribers = Array(Set(subscriptions.values.flatMap { $0.map(\.subscriber) }))
        guard !subscribers.isEmpty else { return false }
        let maxAttempts = settings.maxAttempts
        let retryMilliseconds = settings.retryDelay.wholeMilliseconds
        let logger = self.logger
        return try await database.transaction { tx in
            guard
                let row = try tx.queryFirst(
                    """
                    SELECT d.event_id, d.subscriber, d.attempts, o.name, o.version, o.payload::text AS payload, o.published_at
                    FROM kernel.event_deliveries d JOIN kernel.outbox o ON o.id = d.event_id
                    WHERE d.state = 'pending' AND d.next_attempt_at <= \(due) AND d.subscriber = ANY(\(subscribers))
                    ORDER BY d.event_id
                    LIMIT 1
                    FOR UPDATE OF d SKIP LOCKED
                    """
                )
            else { return false }
            let subscriber: String = try row.decode("subscriber")
            let attempts: Int = try row.decode("attempts")
            let envelope = EventEnvelope(
                id: try row.decode("event_id"),
                name: try row.decode("name"),
                version: try row.decode("version"),
                payload: try row.decode("payload"),
                publishedAt: try row.decode("published_at"),
                previousAttempts: attempts
            )
            let handlers = (subscriptions[envelope.name] ?? []).filter { $0.subscriber == subscriber }
            do {
                try tx.savepoint { tx in
                    for handler in handlers { try handler.subscription.handle(envelope, tx) }
                }
                try tx.execute(
                    """
                    UPDATE kernel.event_deliveries SET state = 'done', attempts = attempts + 1, delivered_at = now(), last_error = NULL
                    WHERE event_id = \(envelope.id) AND subscriber = \(subscriber)
                    """
                )
            } catch {
                let attempt = attempts + 1
                let failed = attempt >= maxAttempts
                let delay = retryMilliseconds * (1 << min(attempt - 1, 20))
                logger.warning("event \(envelope.name) #\(envelope.id) to \(subscriber) failed (attempt \(attempt)): \(error)")
                try tx.execute(
                    """
                    UPDATE kernel.event_deliveries
                    SET attempts = \(attempt), last_error = \(String(describing: error)),
                        state = \(failed ? "failed" : "pending"),
                        next_attempt_at = now() + make_interval(secs => \(Double(delay) / 1000))
                    WHERE event_id = \(envelope.id) AND subscriber = \(subscriber)
                    """
                )
            }
            return true
        }
    }
}
