import DataAccess
import Foundation
import Logging

/// Sends the rows of `kernel.mail_outbox`: each taken with `FOR UPDATE SKIP LOCKED` and leased
/// (its next attempt moved past the transport's timeout) in a short transaction, sent outside
/// any transaction, then marked sent, or given back with its next attempt after
/// `retryDelay × 2^(attempts-1)`, or marked failed after `maxAttempts`. So two hosts never send
/// the same message, a host that dies mid-send leaves it to be tried again when the lease ends,
/// and a server that is down gets the message once it is back.
struct MailOutbox: Sendable {
    let database: Database
    let settings: MailSettings
    let transport: MailTransport
    let logger: Logger

    /// How long a taken message is kept from other senders: longer than any SMTP session.
    var lease: Duration {
        if case .smtp(let smtp) = settings.transport { return smtp.sessionTimeout + .seconds(60) }
        return .seconds(300)
    }

    /// Sends every message that is due, one at a time.
    ///
    /// - Returns: How many were sent.
    @discardableResult
    func sendDue() async throws -> Int {
        var sent = 0
        let started = Date()
        while let (message, attempt) = try await take(dueBy: started) {
            do {
                try await transport.send(message)
                try await database.execute(
                    "UPDATE kernel.mail_outbox SET state = 'sent', sent_at = now(), last_error = NULL WHERE id = \(message.id)"
                )
                sent += 1
            } catch {
                let failed = attempt >= settings.maxAttempts
                let delay = Double(settings.retryDelay.components.seconds) * Double(1 << min(attempt - 1, 20))
                logger.warning("mail \(message.id) to user not sent (attempt \(attempt)\(failed ? ", given up" : "")): \(error)")
                try await database.execute(
                    """
                    UPDATE kernel.mail_outbox
                    SET state = \(failed ? "failed" : "pending"), last_error = \(String(describing: error)),
                        next_attempt_at = now() + make_interval(secs => \(delay))
                    WHERE id = \(message.id)
                    """
                )
            }
        }
        return sent
    }

    /// Takes the next due message and leases it; `nil` when none is due by `due`.
    func take(dueBy due: Date) async throws -> (MailMessage, attempt: Int)? {
        let (from, lease) = (settings.from, Double(lease.components.seconds))
        return try await database.transaction { tx in
            guard
                let row = try tx.queryFirst(
                    """
                    UPDATE kernel.mail_outbox SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => \(lease))
                    WHERE id = (SELECT id FROM kernel.mail_outbox WHERE state = 'pending' AND next_attempt_at <= \(due)
                                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING id, recipient, subject, body, attempts
                    """
                )
            else { return nil }
            let message = MailMessage(
                id: try row.decode("id"),
                from: from,
                to: try row.decode("recipient"),
                subject: try row.decode("subject"),
                body: try row.decode("body")
            )
            return (message, try row.decode("attempts"))
        }
    }
}
