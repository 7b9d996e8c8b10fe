import DataAccess
import FeatureSupport
import Foundation
import Hummingbird
import PageKit
import PluginKit
import Registry

/// The reports' pages at `/reports`: the list of reports, and each report as a chart with the
/// same figures in a table beside it and a CSV download, for the organisations, provider and
/// years chosen in the page's form. The figures come from ``ReportAssembler`` (the enabled
/// features' contributions, bounded by the viewer's reach); a part whose feature is switched
/// off is named as missing.
struct ReportPages: PageProvider {
    /// Where the pages are: `/reports`.
    static let id = "reports"
    static let read = KernelPermissions.reportsRead
    /// The first year a report shows unless asked: the unit's first year and before.
    static let firstYear = 2000

    let templates: PageTemplates
    let assembler: ReportAssembler

    var navigation: [NavigationEntry] { [NavigationEntry(titleKey: "reportsTitle", path: "/reports", permission: Self.read)] }

    func addPages(to router: PageRouter) {
        router.get("", requiring: Self.read) { _, page in try index(page) }
        router.get("support", requiring: Self.read) { request, page in try await support(try query(.support, request, page), request, page) }
        router.get("before-and-after", requiring: Self.read) { request, page in
            try await beforeAndAfter(try query(.beforeAndAfter, request, page), request, page)
        }
        router.get("money", requiring: Self.read) { request, page in try await money(try query(.money, request, page), request, page) }
        router.get("provider", requiring: Self.read) { request, page in
            try await provider(try await providerQuery(request, page), request, page)
        }
    }

    /// The list of reports.
    func index(_ page: PageContext) throws -> PageResult {
        let reports = ReportKind.allCases.map { kind in
            ["link": "/reports/\(kind.path)", "title": page.text("report_\(kind.rawValue)"), "summary": page.text("report_\(kind.rawValue)_summary")]
        }
        return try page.render("reports", title: page.text("reportsTitle"), ["reports": reports])
    }

    // MARK: - The query from the page's form

    /// The report's query from the page's parameters: `organisation`, `provider`, `from` and
    /// `to` (years; from 2000 to this year unless given).
    func query(_ kind: ReportKind, _ request: Request, _ page: PageContext) throws -> ReportQuery {
        let asOf = LocalDate.today()
        let to = try request.queryYear("to") ?? asOf.year
        let from = try request.queryYear("from") ?? min(Self.firstYear, to)
        guard from <= to else {
            throw FeatureError(.invalidInput, "the first year must not be after the last", field: "from")
        }
        return ReportQuery(
            report: kind,
            organisationIDs: try request.queryInt("organisation").map { [$0] },
            providerID: try request.queryInt("provider"),
            years: from...to,
            asOf: asOf,
            principal: page.principal,
            language: page.language
        )
    }

    /// A provider's year: this year unless asked, for the provider asked, the viewer's own
    /// (a supervisor's) or else the first social-economy organisation within reach.
    func providerQuery(_ request: Request, _ page: PageContext) async throws -> ReportQuery {
        var query = try query(.provider, request, page)
        if try request.queryYear("from") == nil { query.years = query.years.upperBound...query.years.upperBound }
        if query.providerID == nil {
            query.providerID =
                page.principal.isScoped ? page.principal.organisationID : try await choices(kind: "socialEconomyOrganisation", page).first?.id
        }
        return query
    }

    /// The organisations of `kind` the viewer may see, by name, for the form's choices.
    func choices(kind: String, _ page: PageContext) async throws -> [AssembledReport.Organisation] {
        let reach = assembler.registry.reach(of: page.principal)
        return try await assembler.registry.database.query(
            """
            SELECT o.id, o.name FROM registry.organisations o
            WHERE o.kind = \(kind) AND \(reach.allowsOrganisation("o.id")) ORDER BY \(SQL.swedish("o.name")), o.id
            """
        ).map { AssembledReport.Organisation(id: try $0.decode("id"), name: try $0.decode("name")) }
    }

    /// What the page's form chooses besides the years: the parameter (`organisation`,
    /// `provider`), its label's text key, the organisations offered, and the text of the choice
    /// of all of them, when there is one.
    struct Choice {
        let name: String
        let label: String
        let options: [AssembledReport.Organisation]
        var all: String? = nil
    }

    /// The form's fields and the common parts of every report's page: the missing parts, the
    /// download link, the years.
    func frame(_ report: AssembledReport, _ request: Request, _ page: PageContext, choose: Choice?) -> [String: Any] {
        var data: [String: Any] = [
            "path": report.report.path,
            "intro": page.text("report_\(report.report.rawValue)_summary"),
            "from": String(report.from),
            "to": String(report.to),
            "csvLink": "/reports/\(report.report.path)?" + (request.uri.query.map { $0 + "&" } ?? "") + "format=csv",
        ]
        if let choose {
            let selected =
                switch report.report {
                case .provider: report.provider?.id
                case .beforeAndAfter: report.unit?.id
                case .support, .money: report.organisationId
                }
            var options = choose.options.map { organisation -> [String: Any] in
                ["value": String(organisation.id), "label": organisation.name, "selected": organisation.id == selected]
            }
            if let all = choose.all { options.insert(["value": "", "label": page.text(all), "selected": selected == nil], at: 0) }
            data["choice"] = ["name": choose.name, "label": page.text(choose.label), "options": options]
        }
        if !report.missing.isEmpty {
            data["missing"] = page.text("reportMissing", ["parts": report.missing.map { page.text("feature_" + $0) }.joined(separator: ", ")])
        }
        return data
    }

    /// The years of the report as the rows of a table, the year the unit closed marked.
    func yearRows(_ report: AssembledReport, _ page: PageContext) -> [(key: Int, label: String, marked: Bool)] {
        (report.from...report.to).map { year in
            let marked = year == report.breakYear
            return (year, marked ? page.text("reportBreakYear", ["year": String(year)]) : String(year), marked)
        }
    }

    /// The marker of the year the unit closed, for a chart by year.
    func breakMarker(_ report: AssembledReport, _ page: PageContext) -> BarChart.Marker? {
        guard let year = report.breakYear, (report.from...report.to).contains(year) else { return nil }
        return BarChart.Marker(after: year - report.from, label: page.text("reportBreak", ["year": String(year)]))
    }

    /// A chart of `figures` by year, one series per text `by` gives (provider, purpose), each
    /// figure written in its unit in the table; the year the unit closed marked.
    func yearChart(
        id: String,
        title: String,
        description: String,
        _ figures: [ReportFigure],
        by name: (ReportFigure) -> String,
        stacked: Bool = true,
        _ report: AssembledReport,
        _ page: PageContext
    ) -> BarChart {
        let years = Array(report.from...report.to)
        var series: [String] = []
        var units: [String: ReportFigure.Unit] = [:]
        var sums: [String: [Int: Decimal]] = [:]
        for figure in figures {
            let key = name(figure)
            if sums[key] == nil { series.append(key) }
            units[key] = figure.unit
            sums[key, default: [:]][figure.year, default: 0] += figure.value
        }
        return BarChart(
            id: id,
            title: title,
            description: description,
            groupHeader: page.text("reportYear"),
            series: series,
            groups: years.map { year in
                let values = series.map { sums[$0]?[year] ?? 0 }
                return BarChart.Group(
                    label: String(year),
                    values: values.map { NSDecimalNumber(decimal: $0).doubleValue },
                    texts: zip(series, values).map { ReportTable.text($1, units[$0] ?? .count, page.language) }
                )
            },
            stacked: stacked,
            marker: breakMarker(report, page)
        )
    }
}
