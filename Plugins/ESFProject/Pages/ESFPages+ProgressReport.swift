import DataAccess
import FeatureSupport
import Foundation
import Hummingbird
import PageKit
import PluginKit
import Registry

/// The progress report page (`/esf/progress-report`, in the ESF navigation): a project and a
/// period picked, the report as charts with their tables, and its CSV download.
extension ESFPages {
    /// A period the picker offers.
    struct PeriodChoice {
        let value: String
        let label: String
        let selected: Bool
    }

    func progressReport(request: Request, page: PageContext) async throws -> PageResult {
        let special = page.principal.holds(P.specialCategories)
        let today = LocalDate.today()
        let chosen = try request.queryInt("project")
        let asked = try Self.period(request)
        let (projects, project, claims, report) = try await store.database.withConnection { db in
            let projects = try db.query("SELECT id, name FROM esf.projects ORDER BY \(SQL.swedish("name")), id").map {
                (id: try $0.decode("id", as: Int.self), name: try $0.decode("name", as: String.self))
            }
            guard let id = chosen ?? projects.first?.id else { return (projects, Project?.none, [Claim](), ProgressReport?.none) }
            let project = try store.project(id: id, in: db)
            let (from, to) = asked ?? Self.defaultPeriod(of: project, today: today)
            let claims = try store.claims(ofProject: id, in: db)
            return (projects, project, claims, try store.progressReport(ofProject: id, from: from, to: to, special: special, in: db))
        }
        if let report, request.wantsCSV {
            return .csv(report.csv, filename: "esf-\(report.projectId)-lagesrapport-\(report.from)-\(report.to).csv")
        }
        var data: [String: Any] = [
            "projects": projects.map { ["id": $0.id, "name": $0.name, "selected": $0.id == project?.id] },
            "hasProjects": !projects.isEmpty,
        ]
        guard let project, let report else {
            return try page.render("progressReport", title: page.text("progressReportTitle"), data)
        }
        let periods = Self.periodChoices(of: project, claims: claims, page: page)
        let value = Self.periodValue(report.from, report.to)
        data["periods"] =
            periods.contains { $0.value == value }
            ? periods.map { PeriodChoice(value: $0.value, label: $0.label, selected: $0.value == value) }
            : [PeriodChoice(value: value, label: "\(report.from) – \(report.to)", selected: true)] + periods
        data["hasPeriods"] = true
        data["report"] = ProgressReportView(report, project: project, page: page)
        data["csvLink"] = "/esf/progress-report?project=\(project.id)&period=\(value)&format=csv"
        return try page.render("progressReport", title: page.text("progressReportOf", ["name": project.name]), data)
    }

    /// The period asked for: `period=FROM..TO` (the picker's value) or `from` and `to`.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming `period`, `from` or `to`.
    static func period(_ request: Request) throws -> (LocalDate, LocalDate)? {
        if let text = request.queryText("period") {
            let parts = text.components(separatedBy: "..")
            guard parts.count == 2 else {
                throw FeatureError(.invalidInput, "a period is FROM..TO (YYYY-MM-DD..YYYY-MM-DD), not '\(text.prefix(40))'", field: "period")
            }
            let (from, to) = (try Input.date(parts[0], field: "period"), try Input.date(parts[1], field: "period"))
            guard to >= from else { throw FeatureError(.invalidInput, "the period ends (\(to)) before it begins (\(from))", field: "period") }
            return (from, to)
        }
        guard let from = try request.queryDate("from"), let to = try request.queryDate("to") else { return nil }
        guard to >= from else { throw FeatureError(.invalidInput, "the period ends (\(to)) before it begins (\(from))", field: "to") }
        return (from, to)
    }

    static func periodValue(_ from: LocalDate, _ to: LocalDate) -> String { "\(from)..\(to)" }

    /// The calendar year of the project's latest day so far (its last year once it has ended),
    /// within the project's period.
    static func defaultPeriod(of project: Project, today: LocalDate) -> (LocalDate, LocalDate) {
        let day = min(max(today, project.from), project.to)
        let first = LocalDate(year: day.year, month: 1, day: 1) ?? project.from
        let last = LocalDate(year: day.year, month: 12, day: 31) ?? project.to
        return (max(first, project.from), min(last, project.to))
    }

    /// The periods to pick: each calendar year of the project (within its period), each payment
    /// claim's period, and the whole project.
    static func periodChoices(of project: Project, claims: [Claim], page: PageContext) -> [PeriodChoice] {
        var choices: [PeriodChoice] = []
        for year in project.from.year...project.to.year {
            guard let first = LocalDate(year: year, month: 1, day: 1), let last = LocalDate(year: year, month: 12, day: 31) else { continue }
            let (from, to) = (max(first, project.from), min(last, project.to))
            choices.append(PeriodChoice(value: periodValue(from, to), label: page.text("periodYear", ["year": String(year)]), selected: false))
        }
        for claim in claims {
            choices.append(
                PeriodChoice(
                    value: periodValue(claim.from, claim.to),
                    label: page.text("periodClaim", ["from": claim.from.description, "to": claim.to.description]),
                    selected: false
                )
            )
        }
        choices.append(
            PeriodChoice(
                value: periodValue(project.from, project.to),
                label: page.text("periodWhole", ["from": project.from.description, "to": project.to.description]),
                selected: false
            )
        )
        return choices
    }
}
