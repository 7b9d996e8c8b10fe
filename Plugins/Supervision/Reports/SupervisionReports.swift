import DataAccess
import Foundation
import PageKit
import PluginKit
import Registry

/// Supervision's part of the reports, from its own schema: hours of supervision per cooperative,
/// year and provider; spending from funding pots; for a provider's year the target hours of its
/// assignments and the goals met and open; for the money report what the pots were decided at
/// and what was spent. Every figure is bounded by the caller's reach.
struct SupervisionReports: ReportContributor {
    let store: SupervisionStore
    let strings: StringCatalogue

    var reports: Set<ReportKind> { [.support, .beforeAndAfter, .money, .provider] }

    func figures(for query: ReportQuery) async throws -> [ReportFigure] {
        let reach = store.registry.reach(of: query.principal)
        return try await store.database.withConnection { db in
            switch query.report {
            case .support:
                return try hours(query, reach: reach, in: db) + spending(query, reach: reach, in: db)
            case .beforeAndAfter:
                return try hours(query, reach: reach, in: db) + assignments(query, reach: reach, in: db)
            case .money:
                return try pots(query, reach: reach, in: db) + spending(query, reach: reach, in: db)
            case .provider:
                return try hours(query, reach: reach, in: db) + targets(query, reach: reach, in: db) + goals(query, reach: reach, in: db)
            }
        }
    }

    /// A figure of this feature with its label in the query's language.
    func figure(
        _ measure: String,
        _ unit: ReportFigure.Unit,
        _ query: ReportQuery,
        organisation: Int?,
        year: Int,
        value: Decimal,
        breakdown: String? = nil,
        stage: ReportFigure.Stage? = nil,
        provider: Int? = nil
    ) -> ReportFigure {
        ReportFigure(
            feature: SupervisionStore.feature,
            measure: "supervision." + measure,
            label: strings.text("report_" + measure, query.language),
            unit: unit,
            organisationID: organisation,
            year: year,
            breakdown: breakdown,
            stage: stage,
            providerID: provider,
            value: value
        )
    }

    /// Hours of supervision held per cooperative, year and provider (for a provider's year, its own only).
    func hours(_ query: ReportQuery, reach: Reach, in db: some SQLExecutor) throws -> [ReportFigure] {
        let provider: SQL = query.report == .provider ? "a.provider_id = \(query.providerID ?? 0)" : "TRUE"
        return try db.query(
            """
            SELECT s.cooperative_id, a.provider_id, p.name AS provider, extract(year FROM s.held_on)::integer AS year,
                   round(sum(s.minutes) / 60.0, 2) AS hours
            FROM supervision.sessions s
            JOIN supervision.assignments a ON a.id = s.assignment_id
            JOIN registry.organisations p ON p.id = a.provider_id
            WHERE s.held_on BETWEEN \(query.from) AND \(query.through)
              AND \(query.asksFor("s.cooperative_id")) AND \(reach.allowsOrganisation("s.cooperative_id")) AND \(provider)
            GROUP BY s.cooperative_id, a.provider_id, p.name, year
            """
        ).map { row in
            figure(
                "hours",
                .hours,
                query,
                organisation: try row.decode("cooperative_id"),
                year: try row.decode("year"),
                value: try row.decode("hours"),
                breakdown: try row.decode("provider"),
                provider: try row.decode("provider_id")
            )
        }
    }

    /// The assignments in force some day of each year, per cooperative and provider: which
    /// cooperatives a provider (the unit) supervised, sessions recorded or not.
    func assignments(_ query: ReportQuery, reach: Reach, in db: some SQLExecutor) throws -> [ReportFigure] {
        try db.query(
            """
            SELECT a.cooperative_id, a.provider_id, p.name AS provider, y.year, count(*) AS n
            FROM supervision.assignments a
            JOIN registry.organisations p ON p.id = a.provider_id
            CROSS JOIN LATERAL generate_series(
                greatest(extract(year FROM a.from_date)::integer, \(query.years.lowerBound)),
                least(extract(year FROM coalesce(a.ended_on, a.to_date, \(query.through)))::integer, \(query.through.year))) AS y(year)
            WHERE a.state <> 'proposed' AND a.from_date <= \(query.through)
              AND \(query.asksFor("a.cooperative_id")) AND \(reach.allowsOrganisation("a.cooperative_id"))
            GROUP BY a.cooperative_id, a.provider_id, p.name, y.year
            """
        ).map { row in
            figure(
                "assignments",
                .count,
                query,
                organisation: try row.decode("cooperative_id"),
                year: try row.decode("year"),
                value: Decimal(try row.decode("n", as: Int.self)),
                breakdown: try row.decode("provider"),
                provider: try row.decode("provider_id")
            )
        }
    }

    /// What was spent from each cooperative's funding pots, per year.
    func spending(_ query: ReportQuery, reach: Reach, in db: some SQLExecutor) throws -> [ReportFigure] {
        try db.query(
            """
            SELECT f.cooperative_id, extract(year FROM s.spent_on)::integer AS year, sum(s.amount) AS amount
            FROM supervision.spending s JOIN supervision.funding_pots f ON f.id = s.pot_id
            WHERE s.spent_on BETWEEN \(query.from) AND \(query.through)
              AND \(query.asksFor("f.cooperative_id")) AND \(reach.allowsOrganisation("f.cooperative_id"))
            GROUP BY f.cooperative_id, year
            """
        ).map { row in try potFigure(row, query, stage: .paid) }
    }

    /// What the funding pots were decided at, in the year each starts.
    func pots(_ query: ReportQuery, reach: Reach, in db: some SQLExecutor) throws -> [ReportFigure] {
        try db.query(
            """
            SELECT f.cooperative_id, extract(year FROM f.from_date)::integer AS year, sum(f.amount) AS amount
            FROM supervision.funding_pots f
            WHERE f.from_date BETWEEN \(query.from) AND \(query.through)
              AND \(query.asksFor("f.cooperative_id")) AND \(reach.allowsOrganisation("f.cooperative_id"))
            GROUP BY f.cooperative_id, year
            """
        ).map { row in try potFigure(row, query, stage: .decided) }
    }

    /// A row of `cooperative_id`, `year` and `amount` as a pot figure: decided or spent.
    private func potFigure(_ row: Row, _ query: ReportQuery, stage: ReportFigure.Stage) throws -> ReportFigure {
        figure(
            "potSpending",
            .money,
            query,
            organisation: try row.decode("cooperative_id"),
            year: try row.decode("year"),
            value: try row.decode("amount"),
            stage: stage
        )
    }

    /// The hours the provider's assignments aimed at: each month an assignment runs counts its
    /// target hours per month.
    func targets(_ query: ReportQuery, reach: Reach, in db: some SQLExecutor) throws -> [ReportFigure] {
        try db.query(
            """
            SELECT a.cooperative_id, extract(year FROM m.month)::integer AS year, sum(a.target_hours_per_month) AS hours
            FROM supervision.assignments a
            CROSS JOIN LATERAL generate_series(
                date_trunc('month', greatest(a.from_date, \(query.from))::timestamp),
                least(coalesce(a.ended_on, a.to_date, \(query.through)), \(query.through))::timestamp,
                interval '1 month') AS m(month)
            WHERE a.provider_id = \(query.providerID ?? 0) AND a.target_hours_per_month IS NOT NULL
              AND a.state <> 'proposed' AND a.from_date <= \(query.through)
              AND \(query.asksFor("a.cooperative_id")) AND \(reach.allowsOrganisation("a.cooperative_id"))
            GROUP BY a.cooperative_id, year
            """
        ).map { row in
            figure(
                "targetHours",
                .hours,
                query,
                organisation: try row.decode("cooperative_id"),
                year: try row.decode("year"),
                value: try row.decode("hours")
            )
        }
    }

    /// The goals of the provider's cooperatives met in each year, and those still open on the day read.
    func goals(_ query: ReportQuery, reach: Reach, in db: some SQLExecutor) throws -> [ReportFigure] {
        try db.query(
            """
            WITH cooperatives AS (
                SELECT DISTINCT a.cooperative_id FROM supervision.assignments a
                WHERE a.provider_id = \(query.providerID ?? 0) AND a.from_date <= \(query.through)
                  AND coalesce(a.ended_on, a.to_date, \(query.through)) >= \(query.from)
            )
            SELECT g.cooperative_id, 'goalsMet' AS measure, extract(year FROM g.closed_on)::integer AS year, count(*) AS n
            FROM supervision.goals g JOIN cooperatives c USING (cooperative_id)
            WHERE g.state = 'met' AND g.closed_on BETWEEN \(query.from) AND \(query.through)
              AND \(query.asksFor("g.cooperative_id")) AND \(reach.allowsOrganisation("g.cooperative_id"))
            GROUP BY g.cooperative_id, year
            UNION ALL
            SELECT g.cooperative_id, 'goalsOpen', \(query.through.year), count(*)
            FROM supervision.goals g JOIN cooperatives c USING (cooperative_id)
            WHERE g.opened_on <= \(query.through) AND (g.state IN ('open', 'inProgress') OR g.closed_on > \(query.through))
              AND \(query.asksFor("g.cooperative_id")) AND \(reach.allowsOrganisation("g.cooperative_id"))
            GROUP BY g.cooperative_id
            """
        ).map { row in
            figure(
                try row.decode("measure"),
                .count,
                query,
                organisation: try row.decode("cooperative_id"),
                year: try row.decode("year"),
                value: Decimal(try row.decode("n", as: Int.self))
            )
        }
    }
}
