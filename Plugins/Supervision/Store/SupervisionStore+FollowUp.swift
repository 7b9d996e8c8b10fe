import DataAccess
import Foundation
import PluginKit
import Registry

extension SupervisionStore {
    /// The follow-up for a period as of a day, over the cooperatives within reach.
    func followUp(period: Period, asOf: LocalDate, reach: Reach, in executor: some SQLExecutor) throws -> FollowUpReport {
        FollowUpReport(
            period: period,
            asOf: asOf,
            inactivityDays: settings.inactivityDays,
            reminderDays: settings.reviewReminderDays,
            hours: try hours(in: period, reach: reach, in: executor),
            inactive: try inactive(asOf: asOf, reach: reach, in: executor),
            due: try due(asOf: asOf, reach: reach, in: executor)
        )
    }

    /// Hours per cooperative under supervision in the period, against the monthly targets of its
    /// assignments over the days each was in force.
    func hours(in period: Period, reach: Reach, in executor: some SQLExecutor) throws -> [CooperativeHours] {
        let (first, last) = (period.first, period.last)
        let rows = try executor.query(
            """
            WITH running AS (
                SELECT a.cooperative_id, a.target_hours_per_month,
                       least(coalesce(a.to_date, \(last)), \(last)) - greatest(a.from_date, \(first)) + 1 AS days
                FROM supervision.assignments a
                WHERE a.state <> 'proposed' AND a.from_date <= \(last) AND coalesce(a.to_date, \(last)) >= \(first)
                  AND \(reach.allowsOrganisation("a.cooperative_id"))
            ), targets AS (
                SELECT cooperative_id,
                       sum(target_hours_per_month * days * \(period.months)::numeric / \(period.days)) AS target_hours,
                       bool_or(target_hours_per_month IS NOT NULL) AS has_target
                FROM running GROUP BY cooperative_id
            ), held AS (
                SELECT s.cooperative_id, count(*) AS sessions, sum(s.minutes) AS minutes
                FROM supervision.sessions s
                WHERE s.held_on BETWEEN \(first) AND \(last) AND \(reach.allowsOrganisation("s.cooperative_id"))
                GROUP BY s.cooperative_id
            )
            SELECT o.id, o.name, coalesce(h.sessions, 0) AS sessions, round(coalesce(h.minutes, 0) / 60.0, 1) AS hours,
                   CASE WHEN t.has_target THEN round(t.target_hours, 1) END AS target_hours,
                   CASE WHEN t.target_hours > 0 THEN round(100 * coalesce(h.minutes, 0) / 60.0 / t.target_hours)::integer END AS percent
            FROM (SELECT cooperative_id FROM targets UNION SELECT cooperative_id FROM held) c
            JOIN registry.organisations o ON o.id = c.cooperative_id
            LEFT JOIN targets t ON t.cooperative_id = c.cooperative_id
            LEFT JOIN held h ON h.cooperative_id = c.cooperative_id
            ORDER BY \(SQL.swedish("o.name")), o.id
            """
        )
        return try rows.map { row in
            CooperativeHours(
                cooperativeId: try row.decode("id"),
                cooperativeName: try row.decode("name"),
                sessions: try row.decode("sessions"),
                hours: try row.decode("hours"),
                targetHours: try row.decode("target_hours"),
                percentOfTarget: try row.decode("percent")
            )
        }
    }

    /// Cooperatives with an assignment in force on `asOf` and no session in the `inactivityDays`
    /// days before it (counted from the first assignment's start when there was never one).
    ///
    /// "In force" is read from the dates, not today's state: an assignment ended since (by a
    /// handover, say) was in force on the days from its first to its last.
    ///
    /// The last session comes from `supervision.last_sessions`; only a cooperative whose last one
    /// is dated after `asOf` (a report for a past day, a session logged ahead) needs the probe
    /// of its sessions (the `l.held_on > asOf` guard runs before the index scan).
    func inactive(asOf: LocalDate, reach: Reach, in executor: some SQLExecutor) throws -> [InactiveCooperative] {
        let limit = asOf.adding(days: -settings.inactivityDays)
        let rows = try executor.query(
            """
            SELECT c.cooperative_id, (SELECT \(SQL.swedish("o.name")) FROM registry.organisations o WHERE o.id = c.cooperative_id) AS name, c.since,
                   last.held_on AS last_session
            FROM (
                SELECT a.cooperative_id, min(a.from_date) AS since FROM supervision.assignments a
                WHERE a.state <> 'proposed' AND a.from_date <= \(asOf) AND \(reach.allowsOrganisation("a.cooperative_id"))
                GROUP BY a.cooperative_id
                HAVING bool_or(coalesce(a.to_date, \(asOf)) >= \(asOf))
            ) c
            LEFT JOIN supervision.last_sessions l ON l.cooperative_id = c.cooperative_id
            LEFT JOIN LATERAL (
                SELECT s.held_on FROM supervision.sessions s
                WHERE l.held_on > \(asOf) AND s.cooperative_id = c.cooperative_id AND s.held_on <= \(asOf)
                ORDER BY s.held_on DESC LIMIT 1
            ) probe ON true
            CROSS JOIN LATERAL (SELECT CASE WHEN l.held_on <= \(asOf) THEN l.held_on ELSE probe.held_on END AS held_on) last
            WHERE coalesce(last.held_on, c.since) <= \(limit)
            ORDER BY coalesce(last.held_on, c.since), name
            """
        )
        return try rows.map { row in
            let last: LocalDate? = try row.decode("last_session")
            let since: LocalDate = try last ?? row.decode("since")
            return InactiveCooperative(
                cooperativeId: try row.decode("cooperative_id"),
                cooperativeName: try row.decode("name"),
                lastSessionOn: last,
                days: asOf.daysSinceEpoch - since.daysSinceEpoch
            )
        }
    }

    /// Review dates of assignments and pots, and pots' ends, within `reviewReminderDays` of
    /// `asOf` or overdue, as things stood on `asOf`. An assignment's review counts while the
    /// assignment was in force that day (its dates, whatever its state today) until the day it
    /// went under review; a renewal's new date is due again. A pot's review and end are those it
    /// had that day (a later decision's "before" values), while it was open (a pot ended or
    /// turned into a grant has none); a review shows until the reminder days after the pot's
    /// end, as its end does, which shows from the reminder days before it.
    ///
    /// The names come from a lookup per item, not a join: a join hashes every organisation.
    func due(asOf: LocalDate, reach: Reach, in executor: some SQLExecutor) throws -> [DueItem] {
        let horizon = asOf.adding(days: settings.reviewReminderDays)
        let since = asOf.adding(days: -settings.reviewReminderDays)
        let rows = try executor.query(
            """
            WITH pots AS (
                SELECT \(FundingPot.columns(asOf: asOf)) FROM supervision.funding_pots p WHERE \(reach.allowsOrganisation("p.cooperative_id"))
            ), open_pots AS (SELECT * FROM pots WHERE state = 'open')
            SELECT d.kind, d.subject_id, d.cooperative_id, d.due_on,
                   (SELECT \(SQL.swedish("o.name")) FROM registry.organisations o WHERE o.id = d.cooperative_id) AS name
            FROM (
            SELECT 'assignmentReview' AS kind, a.id AS subject_id, a.cooperative_id, a.review_on AS due_on
            FROM supervision.assignments a
            WHERE a.state <> 'proposed' AND a.from_date <= \(asOf) AND coalesce(a.to_date, \(asOf)) >= \(asOf)
              AND (a.reviewed_on IS NULL OR a.reviewed_on > \(asOf))
              AND a.review_on <= \(horizon) AND \(reach.allowsOrganisation("a.cooperative_id"))
            UNION ALL
            SELECT 'potReview', p.id, p.cooperative_id, p.review_on FROM open_pots p WHERE p.review_on <= \(horizon) AND p.to_date >= \(since)
            UNION ALL
            SELECT 'potEnd', p.id, p.cooperative_id, p.to_date FROM open_pots p WHERE p.to_date BETWEEN \(since) AND \(horizon)
            ) d
            ORDER BY d.due_on, name, d.subject_id
            """
        )
        return try rows.map { row in
            let day: LocalDate = try row.decode("due_on")
            let left = day.daysSinceEpoch - asOf.daysSinceEpoch
            return DueItem(
                kind: try row.decode("kind"),
                subjectId: try row.decode("subject_id"),
                cooperativeId: try row.decode("cooperative_id"),
                cooperativeName: try row.decode("name"),
                on: day,
                daysLeft: left,
                overdue: left < 0
            )
        }
    }
}

extension DueItem.Kind: SQLDecodable {}
