import DataAccess
import Foundation
import PageKit
import PluginKit
import Registry

/// The ESF project's part of the reports, from its own schema: per organisation and year the
/// participants who started while placed there (a participant role in the registry) and the
/// jobs that started there; for the money report the co-financing each project budgeted
/// (decided, in its first year) and the municipality's co-financing booked (paid). Bounded by
/// the caller's reach (a project by its owner, a job by its employer).
struct ESFReports: ReportContributor {
    let store: ESFStore
    let strings: StringCatalogue

    var reports: Set<ReportKind> { [.support, .beforeAndAfter, .money] }

    func figures(for query: ReportQuery) async throws -> [ReportFigure] {
        let reach = store.registry.reach(of: query.principal)
        return try await store.database.withConnection { db in
            switch query.report {
            case .support:
                return try jobs(query, reach: reach, in: db) + participants(query, reach: reach, in: db)
            case .beforeAndAfter:
                return try jobs(query, reach: reach, in: db)
            case .money:
                return try coFinancing(query, reach: reach, in: db)
            case .provider:
                return []
            }
        }
    }

    func figure(
        _ measure: String,
        _ unit: ReportFigure.Unit,
        _ query: ReportQuery,
        _ row: Row,
        stage: ReportFigure.Stage? = nil
    ) throws -> ReportFigure {
        ReportFigure(
            feature: ESFStore.feature,
            measure: "esf." + measure,
            label: strings.text("report_" + measure, query.language),
            unit: unit,
            organisationID: try row.decode("organisation_id"),
            year: try row.decode("year"),
            stage: stage,
            value: try row.decode("value")
        )
    }

    /// Jobs started per employer and year.
    func jobs(_ query: ReportQuery, reach: Reach, in db: some SQLExecutor) throws -> [ReportFigure] {
        try db.query(
            """
            SELECT j.employer_id AS organisation_id, extract(year FROM j.from_date)::integer AS year, count(*)::numeric AS value
            FROM esf.jobs j
            WHERE j.from_date BETWEEN \(query.from) AND \(query.through)
              AND \(query.asksFor("j.employer_id")) AND \(reach.allowsOrganisation("j.employer_id"))
            GROUP BY j.employer_id, year
            """
        ).map { try figure("jobs", .count, query, $0) }
    }

    /// Participants who started in a year while placed at the organisation.
    func participants(_ query: ReportQuery, reach: Reach, in db: some SQLExecutor) throws -> [ReportFigure] {
        try db.query(
            """
            SELECT r.organisation_id, extract(year FROM p.from_date)::integer AS year, count(DISTINCT p.id)::numeric AS value
            FROM esf.participations p
            JOIN registry.roles r ON r.person_id = p.person_id AND r.role = 'participant'
             AND r.from_date <= coalesce(p.to_date, \(query.through)) AND (r.to_date IS NULL OR r.to_date >= p.from_date)
            WHERE p.from_date BETWEEN \(query.from) AND \(query.through)
              AND \(query.asksFor("r.organisation_id")) AND \(reach.allowsOrganisation("r.organisation_id"))
            GROUP BY r.organisation_id, year
            """
        ).map { try figure("participants", .count, query, $0) }
    }

    /// The co-financing budgeted per project (in its first year) and the municipality's booked.
    func coFinancing(_ query: ReportQuery, reach: Reach, in db: some SQLExecutor) throws -> [ReportFigure] {
        try db.query(
            """
            SELECT p.owner_id AS organisation_id, 'decided' AS stage, extract(year FROM p.from_date)::integer AS year, sum(b.amount) AS value
            FROM esf.projects p JOIN esf.budget b ON b.project_id = p.id AND b.category = 'financing'
            WHERE p.from_date BETWEEN \(query.from) AND \(query.through) AND p.state NOT IN ('applied')
              AND \(query.asksFor("p.owner_id")) AND \(reach.allowsOrganisation("p.owner_id"))
            GROUP BY p.owner_id, year
            UNION ALL
            SELECT p.owner_id, 'paid', extract(year FROM c.spent_on)::integer, sum(c.amount)
            FROM esf.costs c JOIN esf.projects p ON p.id = c.project_id
            WHERE c.category = 'financing' AND c.source = 'municipality' AND c.spent_on BETWEEN \(query.from) AND \(query.through)
              AND \(query.asksFor("p.owner_id")) AND \(reach.allowsOrganisation("p.owner_id"))
            GROUP BY p.owner_id, extract(year FROM c.spent_on)
            """
        ).map { row in try figure("coFinancing", .money, query, row, stage: ReportFigure.Stage(rawValue: try row.decode("stage"))) }
    }
}
