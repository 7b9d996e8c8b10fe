import DataAccess
import Foundation
import PageKit
import PluginKit

/// The progress report as its page shows it: five charts (the indicators by gender against their
/// targets, participants and jobs against theirs, the budget against the outcome, co-financing by
/// source, the claims made and paid), each with its figures in a table beside it, and the
/// indicators' full table (in the period and to date, each with the form that sets its target
/// for a viewer who may). Every figure is text in the viewer's language already; a count the
/// viewer may not see exactly reads `< 5` and has no bar.
struct ProgressReportView {
    /// One indicator's line of the full table.
    struct IndicatorRow {
        let code: String
        let name: String
        let womenInPeriod: String
        let menInPeriod: String
        let totalInPeriod: String
        let womenToDate: String
        let menToDate: String
        let totalToDate: String
        let target: String
        let targetWomen: String
        let targetMen: String
        let targetLink: String?
    }

    /// Participants or jobs by gender.
    struct TargetRow {
        let label: String
        let womenInPeriod: Int
        let menInPeriod: Int
        let womenToDate: Int
        let menToDate: Int
        let targetOn: String
        let onTrack: String
    }

    let name: String
    let caseNumber: String
    let period: String
    let to: String
    let definitionsNote: String
    let indicatorChart: BarChart
    let indicators: [IndicatorRow]
    let restrictedNote: String
    let targetsChart: BarChart
    let targetRows: [TargetRow]
    let budgetChart: BarChart
    let coFinancingChart: BarChart
    let claimsChart: BarChart?
    let noClaimsNote: String

    init(_ report: ProgressReport, project: Project, page: PageContext) {
        let language = page.language
        func kronor(_ amount: Decimal) -> String { Kronor.text(amount, language) }
        func value(_ amount: Decimal) -> Double { NSDecimalNumber(decimal: amount).doubleValue }
        func value(_ count: IndicatorReport.Count?) -> Double? { count?.exactValue.map(Double.init) }
        func text(_ count: IndicatorReport.Count?) -> String { count?.description ?? "–" }
        func text(_ number: Int?) -> String { number.map(String.init) ?? "–" }
        let to = report.to.description
        name = report.name
        caseNumber = report.caseNumber
        period = "\(report.from) – \(report.to)"
        self.to = to
        definitionsNote =
            report.definitionsOn.map { page.text("definitionsOnNote", ["day": $0.description]) } ?? page.text("definitionsCurrentNote")

        // The indicators: to date by gender against the target.
        let shown = report.indicators.filter { !$0.restricted }
        func indicatorName(_ line: ProgressReport.IndicatorLine) -> String {
            let key = "indicator_" + line.code
            return page.templates.strings.entries[key] == nil ? line.name : page.text(key)
        }
        indicatorChart = BarChart(
            id: "indicators-chart",
            title: page.text("indicatorChartTitle", ["to": to]),
            description: page.text(
                "indicatorChartDescription",
                [
                    "from": project.from.description, "to": to, "count": String(shown.count),
                    "targets": String(shown.filter { $0.target != nil }.count),
                ]
            ),
            groupHeader: page.text("indicatorCode"),
            series: [page.text("seriesWomenToDate"), page.text("seriesMenToDate"), page.text("seriesTarget")],
            groups: shown.map { line in
                BarChart.Group(
                    label: line.code,
                    values: [value(line.toDate?.women), value(line.toDate?.men), line.target.map(Double.init)],
                    texts: [text(line.toDate?.women), text(line.toDate?.men), text(line.target)]
                )
            }
        )
        indicators = shown.map { line in
            IndicatorRow(
                code: line.code,
                name: indicatorName(line),
                womenInPeriod: text(line.inPeriod?.women),
                menInPeriod: text(line.inPeriod?.men),
                totalInPeriod: text(line.inPeriod?.total),
                womenToDate: text(line.toDate?.women),
                menToDate: text(line.toDate?.men),
                totalToDate: text(line.toDate?.total),
                target: text(line.target),
                targetWomen: text(line.targetWomen),
                targetMen: text(line.targetMen),
                targetLink: page.formLink(
                    "esf",
                    "setIndicatorTarget",
                    ["id": String(report.projectId), "code": line.code],
                    requiring: ESFPermissions.projectWrite
                )
            )
        }
        let restricted = report.indicators.count - shown.count
        restrictedNote = restricted > 0 ? page.text("indicatorsRestricted", ["count": String(restricted)]) : ""

        // Participants and jobs against their targets, with the projection.
        let targets = [(page.text("participantsLabel"), report.participants), (page.text("jobsLabel"), report.jobs)]
        targetsChart = BarChart(
            id: "targets-chart",
            title: page.text("targetsChartTitle", ["to": to]),
            description: page.text(
                "targetsChartDescription",
                [
                    "participants": text(report.participants.toDate.total), "jobs": text(report.jobs.toDate.total), "to": to,
                    "participantsTarget": text(report.participants.target), "jobsTarget": text(report.jobs.target),
                    "participantsProjected": text(report.participants.projected), "jobsProjected": text(report.jobs.projected),
                ]
            ),
            groupHeader: page.text("measure"),
            series: [page.text("seriesInPeriod"), page.text("seriesToDate"), page.text("seriesProjected"), page.text("seriesTarget")],
            groups: targets.map { label, line in
                BarChart.Group(
                    label: label,
                    values: [value(line.inPeriod.total), value(line.toDate.total), line.projected.map(Double.init), line.target.map(Double.init)],
                    texts: [text(line.inPeriod.total), text(line.toDate.total), text(line.projected), text(line.target)]
                )
            }
        )
        targetRows = targets.map { label, line in
            TargetRow(
                label: label,
                womenInPeriod: line.inPeriod.women.exactValue ?? 0,
                menInPeriod: line.inPeriod.men.exactValue ?? 0,
                womenToDate: line.toDate.women.exactValue ?? 0,
                menToDate: line.toDate.men.exactValue ?? 0,
                targetOn: line.targetOn?.description ?? "–",
                onTrack: line.onTrack.map { page.text($0 ? "onTrack" : "notOnTrack") } ?? "–"
            )
        }

        // The budget against the outcome per cost category.
        let budgetTotal = report.budget.filter { $0.category != .financing }.map(\.budget).reduce(0, +)
        budgetChart = BarChart(
            id: "budget-chart",
            title: page.text("budgetChartTitle", ["to": to]),
            description: page.text(
                "budgetChartDescription",
                ["to": to, "eligible": kronor(report.eligible.toDate), "budget": kronor(budgetTotal), "inPeriod": kronor(report.eligible.inPeriod)]
            ),
            groupHeader: page.text("costCategory"),
            series: [page.text("seriesBudget"), page.text("seriesOutcomeToDate"), page.text("seriesOutcomeInPeriod")],
            groups: report.budget.map { line in
                BarChart.Group(
                    label: page.text("costCategory_" + line.category.rawValue),
                    values: [value(line.budget), value(line.toDate), value(line.inPeriod)],
                    texts: [kronor(line.budget), kronor(line.toDate), kronor(line.inPeriod)]
                )
            }
        )

        // Co-financing by source, and what the EU share leaves.
        let co = report.coFinancing
        coFinancingChart = BarChart(
            id: "cofinancing-chart",
            title: page.text("coFinancingChartTitle", ["to": to]),
            description: page.text(
                "coFinancingChartDescription",
                ["to": to, "inKind": kronor(co.inKind.toDate), "budget": kronor(co.inKindBudget), "required": kronor(co.required.toDate)]
            ),
            groupHeader: page.text("coFinancingSource"),
            series: [page.text("seriesInPeriod"), page.text("seriesToDate")],
            groups: co.bySource.map { line in
                BarChart.Group(
                    label: page.text("value.source." + line.source.rawValue),
                    values: [value(line.inPeriod), value(line.toDate)],
                    texts: [kronor(line.inPeriod), kronor(line.toDate)]
                )
            } + [
                BarChart.Group(
                    label: page.text("coFinancingInKind"),
                    values: [value(co.inKind.inPeriod), value(co.inKind.toDate)],
                    texts: [kronor(co.inKind.inPeriod), kronor(co.inKind.toDate)]
                ),
                BarChart.Group(
                    label: page.text("coFinancingRequired"),
                    values: [value(co.required.inPeriod), value(co.required.toDate)],
                    texts: [kronor(co.required.inPeriod), kronor(co.required.toDate)]
                ),
            ]
        )

        // The claims made by the period's end and what was paid on them.
        claimsChart =
            report.claims.isEmpty
            ? nil
            : BarChart(
                id: "claims-chart",
                title: page.text("claimsChartTitle", ["to": to]),
                description: page.text(
                    "claimsChartDescription",
                    ["to": to, "count": String(report.claims.count), "claimed": kronor(report.claimed.toDate), "paid": kronor(report.paid.toDate)]
                ),
                groupHeader: page.text("claimPeriod"),
                series: [page.text("seriesClaimed"), page.text("seriesPaid")],
                groups: report.claims.map { claim in
                    BarChart.Group(
                        label: "\(claim.from) – \(claim.to)",
                        values: [value(claim.euAmount), claim.paidAmount.map(value)],
                        texts: [kronor(claim.euAmount), claim.paidAmount.map(kronor) ?? "–"]
                    )
                }
            )
        noClaimsNote = page.text("noClaimsMade", ["to": to])
    }
}
