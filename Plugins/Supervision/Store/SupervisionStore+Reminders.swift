import DataAccess
import FeatureSupport
import PluginKit
import Registry

extension SupervisionStore {
    /// Raises the reminders of `day`: every due or overdue review and pot end, and every
    /// inactive cooperative, each once (a reminder already raised for the same subject, kind,
    /// date and overdue flag is not raised again). Only the first call for a day does the work,
    /// so several hosts never raise a day twice. Each new reminder is published as a
    /// `supervision.reminderRaised` event in the same transaction, for the person responsible
    /// (``notice(kind:subject:cooperative:cooperativeName:due:overdue:)``).
    ///
    /// - Returns: The number of new reminders, or `nil` when the day was already done.
    func raiseReminders(on day: LocalDate, in tx: Transaction) throws -> Int? {
        guard try tx.execute("INSERT INTO supervision.reminder_runs (run_on) VALUES (\(day)) ON CONFLICT DO NOTHING") > 0 else { return nil }
        var raised = 0
        func raise(_ kind: String, subject: Int, cooperative: Int, name: String, due: LocalDate, overdue: Bool, message: String) throws {
            let inserted = try tx.execute(
                """
                INSERT INTO supervision.reminders (kind, subject_id, cooperative_id, due_on, overdue, message, raised_on)
                VALUES (\(kind), \(subject), \(cooperative), \(due), \(overdue), \(message), \(day))
                ON CONFLICT (kind, subject_id, due_on, overdue) DO NOTHING
                """
            )
            guard inserted > 0 else { return }
            raised += inserted
            let notice = try notice(kind: kind, subject: subject, cooperative: cooperative, cooperativeName: name, due: due, overdue: overdue, in: tx)
            try events.publish(ReminderRaised<SupervisionPlugin>(notice), in: tx)
        }
        for item in try due(asOf: day, reach: .everything, in: tx) {
            let what =
                switch item.kind {
                case .assignmentReview: "Review of assignment \(item.subjectId)"
                case .potReview: "Review of funding pot \(item.subjectId)"
                case .potEnd: "End of funding pot \(item.subjectId)"
                }
            let when = item.overdue ? "was due on \(item.on), \(-item.daysLeft) days ago" : "is due on \(item.on), in \(item.daysLeft) days"
            try raise(
                item.kind.rawValue,
                subject: item.subjectId,
                cooperative: item.cooperativeId,
                name: item.cooperativeName,
                due: item.on,
                overdue: item.overdue,
                message: "\(what) (\(item.cooperativeName)) \(when)"
            )
        }
        for cooperative in try inactive(asOf: day, reach: .everything, in: tx) {
            // One reminder per stretch of inactivity: keyed by the day the limit was passed.
            let since = day.adding(days: settings.inactivityDays - cooperative.days)
            let last = cooperative.lastSessionOn.map { "the last session was on \($0)" } ?? "there has been no session"
            try raise(
                "inactive",
                subject: cooperative.cooperativeId,
                cooperative: cooperative.cooperativeId,
                name: cooperative.cooperativeName,
                due: since,
                overdue: true,
                message: "\(cooperative.cooperativeName): \(last), \(cooperative.days) days ago"
            )
        }
        try tx.execute("UPDATE supervision.reminder_runs SET raised = \(raised) WHERE run_on = \(day)")
        return raised
    }

    /// The reminders raised, newest first, for the cooperatives within reach.
    func reminders(page: PageRequest, reach: Reach, in executor: some SQLExecutor) throws -> Page<Reminder> {
        var conditions: [SQL] = [reach.allowsOrganisation("r.cooperative_id")]
        if let after = page.afterID { conditions.append("r.id < \(after)") }
        let rows = try executor.query(
            """
            SELECT r.id, r.kind, r.subject_id, r.cooperative_id, r.due_on, r.overdue, r.message, r.raised_on FROM supervision.reminders r
            WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY r.id DESC LIMIT \(page.limit + 1)
            """
        )
        let reminders = try rows.map { row in
            Reminder(
                id: try row.decode("id"),
                kind: try row.decode("kind"),
                subjectId: try row.decode("subject_id"),
                cooperativeId: try row.decode("cooperative_id"),
                due: try row.decode("due_on"),
                overdue: try row.decode("overdue"),
                message: try row.decode("message"),
                raisedOn: try row.decode("raised_on")
            )
        }
        return page.page(reminders, id: \.id)
    }

    /// Ends the assignments (in force or proposed) of an organisation that was wound up, as
    /// cooperative or as provider, on the day it was wound up. Idempotent: a second delivery
    /// finds nothing left to end.
    func organisationWoundUp(_ organisation: Int, on day: LocalDate, reason: String, in tx: Transaction) throws -> Int {
        let open = try tx.query(
            """
            SELECT \(Assignment.columns) FROM supervision.assignments a
            WHERE (a.cooperative_id = \(organisation) OR a.provider_id = \(organisation)) AND a.state <> 'ended'
            ORDER BY a.id FOR UPDATE OF a
            """
        ).map(Assignment.init(row:))
        for assignment in open {
            let reason = "organisation \(organisation) wound up: \(reason)"
            _ = try end(assignment, on: max(day, assignment.from), reason: reason, actor: .system, in: tx)
        }
        return open.count
    }
}

extension SupervisionStore: ReminderKeeping {
    static func make(context: FeatureContext) throws -> Self { try Self(context: context) }

    /// Every reminder raised (the operator's command sees them all).
    func raisedReminders(page: PageRequest, in executor: some SQLExecutor) throws -> Page<Reminder> {
        try reminders(page: page, reach: .everything, in: executor)
    }
}

extension Reminder: RaisedReminder {}
