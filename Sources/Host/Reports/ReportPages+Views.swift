import DataAccess
import FeatureSupport
import Foundation
import Hummingbird
import PageKit
import Registry

extension ReportPages {
    /// The measures in the order the tables show them.
    static let order = [
        "supervision.hours", "supervision.assignments", "education.circles", "education.studyHours", "partnerships.associationGrant",
        "partnerships.iop",
        "partnerships.frameworkAgreement", "partnerships.supervisionContract", "supervision.potSpending", "esf.participants", "esf.jobs",
        "registry.members", "registry.employees", "registry.unitCost", "esf.coFinancing", "supervision.targetHours", "supervision.goalsMet",
        "supervision.goalsOpen", "partnerships.grantsReceived", "partnerships.reportsDue",
    ]

    /// Support per organisation over time: a cooperative's (or every cooperative's) figures per
    /// year; the chart shows the supervision hours by provider, the unit's closing marked.
    func support(_ query: ReportQuery, _ request: Request, _ page: PageContext) async throws -> PageResult {
        let report = try await assembler.report(query)
        if request.wantsCSV { return .csv(report.csv, filename: report.filename) }
        let subject = report.organisationId.map { report.name(of: $0) } ?? page.text("reportAllCooperatives")
        let cooperatives = try await choices(kind: "cooperative", page)
        var data = frame(
            report,
            request,
            page,
            choose: Choice(name: "organisation", label: "reportOrganisation", options: cooperatives, all: "reportAllCooperatives")
        )
        data["charts"] = [hoursChart(report, subject: subject, page)]
        let table = ReportTable(figures: report.figures, rows: yearRows(report, page), category: { $0.year }, order: Self.order, page: page)
        data["table"] = [
            "caption": page.text("reportTableCaption", ["subject": subject]), "rowHeader": page.text("reportYear"), "columns": table.headings,
            "rows": table.rows,
        ]
        return try page.render("report", title: page.text("report_support") + " – " + subject, data)
    }

    /// Before and after: the cooperatives the unit supervised, their members, employees, ESF
    /// jobs and supervision hours per year, with the handover marked.
    func beforeAndAfter(_ query: ReportQuery, _ request: Request, _ page: PageContext) async throws -> PageResult {
        let report = try await assembler.report(query)
        if request.wantsCSV { return .csv(report.csv, filename: report.filename) }
        let subject = report.organisations.map(\.name).joined(separator: ", ")
        // The unit is the API's `provider`; its choices are the units the report found.
        var data = frame(report, request, page, choose: Choice(name: "provider", label: "reportUnit", options: report.units ?? []))
        let people = report.figures.filter { ["registry.members", "registry.employees", "esf.jobs"].contains($0.measure) }
        data["charts"] = [
            hoursChart(report, subject: page.text("reportUnitCooperatives"), page),
            yearChart(
                id: "people-chart",
                title: page.text("reportPeopleChartTitle"),
                description: page.text(
                    "reportPeopleChartDescription",
                    ["from": String(report.from), "to": String(report.to), "cooperatives": subject]
                ),
                people,
                by: { $0.label },
                stacked: false,
                report,
                page
            ),
        ]
        if !subject.isEmpty { data["subjects"] = page.text("reportUnitCooperativesNamed", ["names": subject, "unit": report.unit?.name ?? ""]) }
        let table = ReportTable(figures: report.figures, rows: yearRows(report, page), category: { $0.year }, order: Self.order, page: page)
        data["table"] = [
            "caption": page.text("reportTableCaption", ["subject": page.text("reportUnitCooperatives")]), "rowHeader": page.text("reportYear"),
            "columns": table.headings, "rows": table.rows,
        ]
        return try page.render("report", title: page.text("report_beforeAndAfter") + (report.unit.map { " – " + $0.name } ?? ""), data)
    }

    /// Where the money went: per year and purpose, decided against paid; the chart stacks what
    /// was paid, the unit's closing marked.
    func money(_ query: ReportQuery, _ request: Request, _ page: PageContext) async throws -> PageResult {
        let report = try await assembler.report(query)
        if request.wantsCSV { return .csv(report.csv, filename: report.filename) }
        var data = frame(report, request, page, choose: nil)
        if let unit = report.unit {
            let link = page.formLink("registry", "setUnitCost", ["id": String(unit.id)], requiring: RegistryPermissions.unitCostWrite)
            data["actions"] = page.actions([("reportSetUnitCost", link)])
        }
        let paid = report.figures.filter { $0.stage == .paid }
        let total = paid.reduce(Decimal(0)) { $0 + $1.value }
        data["charts"] = [
            yearChart(
                id: "money-chart",
                title: page.text("reportMoneyChartTitle"),
                description: page.text(
                    "reportMoneyChartDescription",
                    ["from": String(report.from), "to": String(report.to), "total": Kronor.text(total, page.language)]
                ),
                paid,
                by: { $0.label },
                report,
                page
            )
        ]
        let table = ReportTable(figures: report.figures, rows: yearRows(report, page), category: { $0.year }, order: Self.order, page: page)
        data["table"] = [
            "caption": page.text("reportMoneyTableCaption"), "rowHeader": page.text("reportYear"), "columns": table.headings, "rows": table.rows,
        ]
        return try page.render("report", title: page.text("report_money"), data)
    }

    /// The umbrella association's year: its cooperatives with hours against target and goals
    /// met and open, and the grants it received and the reports it owes.
    func provider(_ query: ReportQuery, _ request: Request, _ page: PageContext) async throws -> PageResult {
        guard query.providerID != nil else {
            return try page.render(
                "report",
                title: page.text("report_provider"),
                frame(
                    AssembledReport(query: query, figures: [], features: [], missing: []),
                    request,
                    page,
                    choose: try await providerChoice(page)
                )
            )
        }
        let report = try await assembler.report(query)
        if request.wantsCSV { return .csv(report.csv, filename: report.filename) }
        let subject = report.provider?.name ?? ""
        var data = frame(report, request, page, choose: try await providerChoice(page))
        let cooperatives = report.organisations.filter { $0.id != report.provider?.id }
        let perCooperative = report.figures.filter { $0.organisationID != report.provider?.id }
        let measures = ["supervision.hours", "supervision.targetHours"]
        func sum(_ measure: String, _ cooperative: Int) -> Decimal {
            perCooperative.filter { $0.organisationID == cooperative && $0.measure == measure }.reduce(0) { $0 + $1.value }
        }
        let label = { (measure: String) in report.figures.first { $0.measure == measure }?.label ?? page.text("reportNoFigures") }
        data["charts"] = [
            BarChart(
                id: "provider-chart",
                title: page.text("reportProviderChartTitle", ["provider": subject]),
                description: page.text(
                    "reportProviderChartDescription",
                    ["provider": subject, "from": String(report.from), "to": String(report.to), "cooperatives": String(cooperatives.count)]
                ),
                groupHeader: page.text("reportCooperative"),
                series: measures.map(label),
                groups: cooperatives.map { cooperative in
                    let values = measures.map { sum($0, cooperative.id) }
                    return BarChart.Group(
                        label: cooperative.name,
                        values: values.map { NSDecimalNumber(decimal: $0).doubleValue },
                        texts: values.map { ReportTable.text($0, .hours, page.language) }
                    )
                }
            )
        ]
        let rows = cooperatives.map { (key: $0.id, label: $0.name, marked: false) }
        let table = ReportTable(figures: perCooperative, rows: rows, category: { $0.organisationID }, order: Self.order, page: page)
        data["table"] = [
            "caption": page.text("reportProviderTableCaption", ["provider": subject]), "rowHeader": page.text("reportCooperative"),
            "columns": table.headings, "rows": table.rows,
        ]
        let own = report.figures.filter { $0.organisationID == report.provider?.id }
        if !own.isEmpty {
            let years = ReportTable(figures: own, rows: yearRows(report, page), category: { $0.year }, order: Self.order, page: page)
            data["second"] = [
                "caption": page.text("reportProviderGrantsCaption", ["provider": subject]), "rowHeader": page.text("reportYear"),
                "columns": years.headings, "rows": years.rows,
            ]
        }
        return try page.render("report", title: page.text("report_provider") + " – " + subject, data)
    }

    /// The choice of a provider's year: the social-economy organisations within reach.
    func providerChoice(_ page: PageContext) async throws -> Choice {
        Choice(name: "provider", label: "reportProvider", options: try await choices(kind: "socialEconomyOrganisation", page))
    }

    /// Supervision hours per year stacked by provider, the unit's closing marked.
    func hoursChart(_ report: AssembledReport, subject: String, _ page: PageContext) -> BarChart {
        let hours = report.figures.filter { $0.measure == "supervision.hours" }
        let total = hours.reduce(Decimal(0)) { $0 + $1.value }
        return yearChart(
            id: "hours-chart",
            title: page.text("reportHoursChartTitle", ["subject": subject]),
            description: page.text(
                "reportHoursChartDescription",
                [
                    "subject": subject, "from": String(report.from), "to": String(report.to),
                    "hours": ReportTable.text(total, .hours, page.language), "providers": String(Set(hours.compactMap(\.breakdown)).count),
                ]
            ),
            hours,
            by: { $0.breakdown ?? $0.label },
            report,
            page
        )
    }
}
