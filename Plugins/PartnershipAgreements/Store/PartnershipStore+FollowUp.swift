import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

extension PartnershipStore {
    /// The follow-up on `asOf` (rule 21): the review dates and ends of the agreements in force
    /// that day, the report dates of the grants not yet reported on by that day, that fall within
    /// the configured number of days or have passed, and the agreements flagged for review by
    /// then, earliest first. A past day reads each agreement's state on it from its recorded
    /// changes (``stateOn(_:)``), so an agreement ended since still counts for a day it was in force.
    func followUp(asOf: LocalDate, reach: Reach, in executor: some SQLExecutor) throws -> FollowUp {
        let horizon = asOf.adding(days: settings.reminderDays)
        let allowed = Self.allows(reach)
        // Today's follow-up (the start page, the reminders) reads the state column, as fast as before.
        let state = asOf >= LocalDate.today() ? "a.state" : Self.stateOn(asOf)
        let rows = try executor.query(
            """
            SELECT 'review' AS due_kind, a.id, a.kind, a.title, a.review_on AS due_on FROM partnerships.agreements a
            WHERE a.review_on <= \(horizon) AND \(state) IN \(AgreementState.runningSQL) AND \(allowed)
            UNION ALL
            SELECT 'end', a.id, a.kind, a.title, a.to_date FROM partnerships.agreements a
            WHERE a.to_date <= \(horizon) AND \(state) IN \(AgreementState.runningSQL) AND \(allowed)
            UNION ALL
            SELECT 'report', a.id, a.kind, a.title, a.report_due_on FROM partnerships.agreements a
            WHERE a.report_due_on <= \(horizon) AND \(state) IN ('granted', 'paid', 'reportDue') AND \(allowed)
              AND NOT EXISTS (SELECT 1 FROM partnerships.reports r WHERE r.agreement_id = a.id AND r.submitted_on <= \(asOf))
            UNION ALL
            SELECT 'flagged', a.id, a.kind, a.title, a.flagged_on FROM partnerships.agreements a
            WHERE a.flagged_for_review AND a.flagged_on <= \(asOf) AND \(state) IN \(AgreementState.inForceSQL) AND \(allowed)
            ORDER BY due_on, id, due_kind
            """
        )
        let due = try rows.map { row in
            let on: LocalDate = try row.decode("due_on")
            let left = on.daysSinceEpoch - asOf.daysSinceEpoch
            return DueDate(
                kind: try row.decode("due_kind"),
                agreementId: try row.decode("id"),
                agreementKind: try row.decode("kind"),
                title: try row.decode("title"),
                on: on,
                daysLeft: left,
                overdue: left < 0
            )
        }
        return FollowUp(asOf: asOf, reminderDays: settings.reminderDays, due: due)
    }

    /// An agreement's (`a`) state at the end of `day`: the last change recorded on or before it,
    /// else the state it was recorded in (a draft, a grant application).
    static func stateOn(_ day: LocalDate) -> SQL {
        """
        coalesce((SELECT t.to_state FROM partnerships.transitions t WHERE t.agreement_id = a.id AND t.on_date <= \(day)
                  ORDER BY t.on_date DESC, t.id DESC LIMIT 1),
                 CASE WHEN a.kind = 'associationGrant' THEN 'applied' ELSE 'draft' END)
        """
    }

    /// Raises the reminders of `day`: every due or overdue date of the follow-up, each once (a
    /// reminder already raised for the same agreement, kind, date and overdue flag is not raised
    /// again). Only the first call for a day does the work, so several hosts never raise a day twice.
    /// Each new reminder is published as a `partnerships.reminderRaised` event in the same
    /// transaction, for the caseworkers (``notice(of:in:)``).
    ///
    /// - Returns: The number of new reminders, or `nil` when the day was already done.
    func raiseReminders(on day: LocalDate, in tx: Transaction) throws -> Int? {
        guard try tx.execute("INSERT INTO partnerships.reminder_runs (run_on) VALUES (\(day)) ON CONFLICT DO NOTHING") > 0 else { return nil }
        var raised = 0
        for item in try followUp(asOf: day, reach: .everything, in: tx).due {
            let what =
                switch item.kind {
                case .review: "Review of"
                case .end: "End of"
                case .report: "Follow-up report of"
                case .flagged: "A party was wound up: review"
                }
            let when =
                item.kind == .flagged
                ? "flagged on \(item.on)"
                : item.overdue ? "was due on \(item.on), \(-item.daysLeft) days ago" : "is due on \(item.on), in \(item.daysLeft) days"
            let inserted = try tx.execute(
                """
                INSERT INTO partnerships.reminders (kind, agreement_id, due_on, overdue, message, raised_on)
                VALUES (\(item.kind), \(item.agreementId), \(item.on), \(item.overdue),
                        \("\(what) \(item.agreementKind.rawValue) \(item.agreementId) (\(item.title)) \(when)"), \(day))
                ON CONFLICT (kind, agreement_id, due_on, overdue) DO NOTHING
                """
            )
            if inserted > 0 { try events.publish(ReminderRaised<PartnershipAgreementsPlugin>(try notice(of: item, in: tx)), in: tx) }
            raised += inserted
        }
        try tx.execute("UPDATE partnerships.reminder_runs SET raised = \(raised) WHERE run_on = \(day)")
        return raised
    }

    /// The reminders raised, newest first, of the agreements within reach.
    func reminders(page: PageRequest, reach: Reach, in executor: some SQLExecutor) throws -> Page<Reminder> {
        var conditions: [SQL] = [Self.allows(reach)]
        if let after = page.afterID { conditions.append("r.id < \(after)") }
        let rows = try executor.query(
            """
            SELECT r.id, r.kind, r.agreement_id, r.due_on, r.overdue, r.message, r.raised_on
            FROM partnerships.reminders r JOIN partnerships.agreements a ON a.id = r.agreement_id
            WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY r.id DESC LIMIT \(page.limit + 1)
            """
        )
        let reminders = try rows.map { row in
            Reminder(
                id: try row.decode("id"),
                kind: try row.decode("kind"),
                agreementId: try row.decode("agreement_id"),
                due: try row.decode("due_on"),
                overdue: try row.decode("overdue"),
                message: try row.decode("message"),
                raisedOn: try row.decode("raised_on")
            )
        }
        return page.page(reminders, id: \.id)
    }

    /// Flags the agreements in force that a wound-up organisation is party to for review.
    /// Idempotent: a second delivery finds them flagged already.
    ///
    /// - Returns: The number of agreements flagged.
    static func organisationWoundUp(_ organisation: Int, on day: LocalDate, reason: String, in tx: Transaction) throws -> Int {
        let ids = try tx.query(
            """
            SELECT a.id FROM partnerships.agreements a
            WHERE a.id IN (SELECT agreement_id FROM partnerships.parties WHERE organisation_id = \(organisation))
              AND a.state IN \(AgreementState.inForceSQL) AND NOT a.flagged_for_review
            ORDER BY a.id FOR UPDATE OF a
            """
        ).map { try $0.decode("id", as: Int.self) }
        for id in ids {
            let select: SQL = "SELECT \(Agreement.columns) FROM partnerships.agreements a WHERE a.id = \(id)"
            let before = try Agreement(row: try tx.query(select).single())
            try tx.execute(
                """
                UPDATE partnerships.agreements SET flagged_for_review = true, flagged_on = \(day), updated_at = now(),
                    flag_reason = \("organisation \(organisation) was wound up on \(day): \(reason)") WHERE id = \(id)
                """
            )
            let after = try Agreement(row: try tx.query(select).single())
            try tx.audit(.system, feature: feature, entity: "agreement", id: id, action: "flagForReview", before: before, after: after)
        }
        return ids.count
    }

    /// Clears an agreement's review flag once it has been reviewed.
    func clearFlag(ofAgreement id: Int, reach: Reach, actor: Actor, in tx: Transaction) throws -> Agreement {
        let before = try lockedAgreement(id: id, reach: reach, in: tx)
        guard before.flaggedForReview else { throw FeatureError(.conflict, "agreement \(id) is not flagged for review", field: "/flaggedForReview") }
        try tx.execute(
            "UPDATE partnerships.agreements SET flagged_for_review = false, flag_reason = NULL, flagged_on = NULL, updated_at = now() WHERE id = \(id)"
        )
        let after = try agreement(id: id, reach: .everything, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "agreement", id: id, action: "reviewed", before: before, after: after)
        return after
    }
}

extension DueDate.Kind: SQLEncodable, SQLDecodable {}

extension PartnershipStore: ReminderKeeping {
    static func make(context: FeatureContext) throws -> Self { try Self(context: context) }

    /// Every reminder raised (the operator's command sees them all).
    func raisedReminders(page: PageRequest, in executor: some SQLExecutor) throws -> Page<Reminder> {
        try reminders(page: page, reach: .everything, in: executor)
    }
}

extension Reminder: RaisedReminder {}
