import DataAccess
import FeatureSupport
import PluginKit

/// The host's subscriber to every enabled feature's `<feature>.reminderRaised`: it queues the
/// reminder (a ``ReminderNotice``) for each person responsible, in `kernel.mail_reminders`, in
/// the delivery's transaction; ``DigestWriter`` puts the queue into one digest per person and day.
///
/// Who is responsible (``ReminderNotice/Responsible``): the users the record names (its
/// caseworker, the supervisor of an assignment, the coordinator of a project) when at least one
/// of them is active, and those alone. Otherwise (nobody named, or only disabled users) the
/// roles: every active user of a responsible role gets it, a user of a scoped role (a
/// supervisor) only when working for the notice's organisation; when no active user has a
/// responsible role, the users of the fallback roles get it. Of those, only users with an
/// e-mail address and the digest on get anything queued.
enum ReminderQueue {
    /// The subscriber's name in `kernel.event_deliveries`.
    static let subscriber = "mail"

    /// One subscription per enabled feature, to `<feature>.reminderRaised`.
    ///
    /// - Parameter features: The ids of the enabled features.
    static func subscriptions(for features: [String]) -> [(subscriber: String, subscription: EventSubscription)] {
        features.map { feature in
            (
                subscriber,
                EventSubscription(ReminderNotice.eventName(of: feature)) { envelope, tx in
                    try enqueue(try envelope.decode(ReminderNotice.self), event: envelope.id, feature: feature, in: tx)
                }
            )
        }
    }

    /// Queues `notice` for each person responsible; a second delivery of the same event queues
    /// nothing new.
    ///
    /// - Returns: How many were queued.
    @discardableResult
    static func enqueue(_ notice: ReminderNotice, event: Int, feature: String, in tx: Transaction) throws -> Int {
        var users = try active(notice.responsible.userIds, in: tx)
        if users.isEmpty { users = try responsible(roles: notice.responsible.roles, organisation: notice.responsible.organisationId, in: tx) }
        if users.isEmpty && !notice.responsible.fallback.isEmpty {
            users = try responsible(roles: notice.responsible.fallback, organisation: notice.responsible.organisationId, in: tx)
        }
        guard !users.isEmpty else { return 0 }
        return try tx.execute(
            """
            INSERT INTO kernel.mail_reminders (user_id, event_id, feature, notice)
            SELECT u.id, \(event), \(feature), \(JSONB(notice)) FROM kernel.users u
            WHERE u.id = ANY(\(users)) AND u.email IS NOT NULL AND u.reminder_digest
            ON CONFLICT (user_id, event_id) DO NOTHING
            """
        )
    }

    /// Those of `users` who are active.
    static func active(_ users: [Int], in tx: Transaction) throws -> [Int] {
        guard !users.isEmpty else { return [] }
        return try tx.query("SELECT id FROM kernel.users WHERE id = ANY(\(users)) AND disabled_at IS NULL ORDER BY id").map { try $0.decode("id") }
    }

    /// The active users of `roles`: of a scoped role, those working for `organisation` alone.
    static func responsible(roles: [String], organisation: Int?, in tx: Transaction) throws -> [Int] {
        try tx.query(
            """
            SELECT u.id FROM kernel.users u JOIN kernel.roles r ON r.id = u.role
            WHERE u.disabled_at IS NULL AND u.role = ANY(\(roles))
              AND (NOT r.scoped OR u.organisation_id = \(organisation))
            ORDER BY u.id
            """
        ).map { try $0.decode("id") }
    }
}
