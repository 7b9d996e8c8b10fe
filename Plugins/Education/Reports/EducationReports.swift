import DataAccess
import Foundation
import PageKit
import PluginKit
import Registry

/// Education's part of the support report, from its own schema: per cooperative a circle aims
/// to form and year, the circles that met and their study hours (rule 6: whole study hours per
/// meeting, as the study associations' period report counts them). Bounded by the caller's reach.
struct EducationReports: ReportContributor {
    let store: EducationStore
    let strings: StringCatalogue

    var reports: Set<ReportKind> { [.support] }

    func figures(for query: ReportQuery) async throws -> [ReportFigure] {
        let reach = store.registry.reach(of: query.principal)
        let (start, end): (SQL, SQL) = ("\(query.from)::timestamp", "\(query.through.adding(days: 1))::timestamp")
        let rows = try await store.database.query(
            """
            SELECT c.aims_cooperative_id, extract(year FROM m.starts_at)::integer AS year,
                   count(DISTINCT m.circle_id) AS circles, sum(m.minutes / \(store.settings.hourMinutes))::bigint AS study_hours
            FROM education.meetings m JOIN education.circles c ON c.id = m.circle_id
            WHERE m.starts_at >= \(start) AND m.starts_at < \(end) AND c.aims_cooperative_id IS NOT NULL
              AND \(query.asksFor("c.aims_cooperative_id")) AND \(EducationStore.allows(reach))
            GROUP BY c.aims_cooperative_id, year
            """
        )
        return try rows.flatMap { row -> [ReportFigure] in
            let organisation: Int = try row.decode("aims_cooperative_id")
            let year: Int = try row.decode("year")
            return [
                figure("circles", organisation, year, Decimal(try row.decode("circles", as: Int.self)), query),
                figure("studyHours", organisation, year, Decimal(try row.decode("study_hours", as: Int.self)), query),
            ]
        }
    }

    func figure(_ measure: String, _ organisation: Int, _ year: Int, _ value: Decimal, _ query: ReportQuery) -> ReportFigure {
        ReportFigure(
            feature: EducationStore.feature,
            measure: "education." + measure,
            label: strings.text("report_" + measure, query.language),
            unit: measure == "circles" ? .count : .hours,
            organisationID: organisation,
            year: year,
            value: value
        )
    }
}
