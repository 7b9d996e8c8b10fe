import DataAccess
import Foundation
import PageKit
import PluginKit

/// The registry's part of the support and before-and-after reports: per organisation and year,
/// the members it had (people with a cooperator role in force some day of the year) and its
/// employees (people it employed as its own supervisors), from the roles with their dates; and to
/// where the money went, what the municipality spent on its own unit per year (as an officer
/// entered it). Bounded by the caller's reach.
struct RegistryReports: ReportContributor {
    let registry: Registry
    let strings: StringCatalogue

    var reports: Set<ReportKind> { [.support, .beforeAndAfter, .money] }

    func figures(for query: ReportQuery) async throws -> [ReportFigure] {
        let reach = registry.reach(of: query.principal)
        if query.report == .money { return try await unitCosts(query, reach: reach) }
        let rows = try await registry.database.query(
            """
            SELECT r.organisation_id, CASE r.role WHEN 'cooperator' THEN 'members' ELSE 'employees' END AS measure,
                   y.year, count(DISTINCT r.person_id)::numeric AS value
            FROM registry.roles r
            CROSS JOIN LATERAL generate_series(
                greatest(extract(year FROM r.from_date)::integer, \(query.years.lowerBound)),
                least(extract(year FROM coalesce(r.to_date, \(query.through)))::integer, \(query.through.year))) AS y(year)
            JOIN registry.organisations o ON o.id = r.organisation_id AND o.kind = 'cooperative'
            WHERE r.role IN ('cooperator', 'supervisor') AND r.from_date <= \(query.through)
              AND \(query.asksFor("r.organisation_id")) AND \(reach.allowsOrganisation("r.organisation_id"))
            GROUP BY r.organisation_id, measure, y.year
            """
        )
        return try rows.map { row in
            let measure: String = try row.decode("measure")
            return ReportFigure(
                feature: Registry.feature,
                measure: "registry." + measure,
                label: strings.text("report_" + measure, query.language),
                unit: .count,
                organisationID: try row.decode("organisation_id"),
                year: try row.decode("year"),
                value: try row.decode("value")
            )
        }
    }

    /// What the municipality spent on its own units per year, as paid.
    func unitCosts(_ query: ReportQuery, reach: Reach) async throws -> [ReportFigure] {
        try await registry.database.query(
            """
            SELECT c.organisation_id, c.year, c.amount FROM registry.unit_costs c
            WHERE c.year BETWEEN \(query.years.lowerBound) AND \(query.through.year)
              AND \(query.asksFor("c.organisation_id")) AND \(reach.allowsOrganisation("c.organisation_id"))
            ORDER BY c.year, c.organisation_id
            """
        ).map { row in
            ReportFigure(
                feature: Registry.feature,
                measure: "registry.unitCost",
                label: strings.text("report_unitCost", query.language),
                unit: .money,
                organisationID: try row.decode("organisation_id"),
                year: try row.decode("year"),
                stage: .paid,
                value: try row.decode("amount")
            )
        }
    }
}
