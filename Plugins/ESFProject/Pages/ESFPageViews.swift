import DataAccess
import Foundation
import PageKit
import PluginKit

// What the ESF templates show, with every text already in the viewer's language.
// Stored properties only: templates read values through reflection.

/// A project as the list and its page show it.
struct ProjectView {
    let id: Int
    let link: String
    let name: String
    let caseNumber: String
    let owner: String
    let ownerLink: String
    let state: String
    let period: String
    let programmeArea: String
    let euShare: String
    let jobs: Int
    let jobsTarget: String
    let participantsTarget: String
    /// The coordinator who answers for it, by name; "–" when it names nobody.
    let coordinator: String

    init(_ row: ProjectRow, page: PageContext) {
        let project = row.project
        id = project.id
        link = "/esf/projects/\(project.id)"
        name = project.name
        caseNumber = project.caseNumber
        owner = row.ownerName
        ownerLink = "/registry/organisations/\(project.ownerId)"
        state = page.text("projectState_" + project.state.rawValue)
        period = "\(project.from) – \(project.to)"
        programmeArea = project.programmeArea
        euShare = "\(project.euSharePercent) %"
        jobs = row.jobs
        jobsTarget = Self.target(project.jobsTarget, on: project.jobsTargetOn, page: page)
        participantsTarget = Self.target(project.participantsTarget, on: project.participantsTargetOn, page: page)
        coordinator = row.coordinatorName ?? "–"
    }

    static func target(_ count: Int?, on day: LocalDate?, page: PageContext) -> String {
        guard let count, let day else { return "–" }
        return page.text("targetBy", ["count": String(count), "day": day.description])
    }
}

/// A participant as the list shows them: the identity number masked, the special categories only
/// for a viewer allowed to see them.
struct ParticipantView {
    let name: String
    let personLink: String
    let identityNumber: String
    let gender: String
    let from: String
    let to: String
    let entries: Int
    let entryStatus: String
    let educationLevel: String
    let migrantBackground: String
    let disability: String
    let otherDisadvantaged: String
    /// The form that ends the participation, while it runs.
    let exitLink: String?
    /// The form for the results six months on, once it has ended.
    let sixMonthLink: String?
    /// The correction form of each entry period (`label`, `link`), the first first.
    let periodLinks: [[String: String]]

    init(_ row: ParticipantRow, page: PageContext) {
        let p = row.participation
        name = row.name
        personLink = "/registry/people/\(p.personId)"
        identityNumber = row.maskedNumber ?? "–"
        gender = page.text("gender_" + p.gender)
        from = p.from.description
        to = p.to?.description ?? "–"
        entries = p.entries
        entryStatus = page.text("entry_" + p.entryStatus.rawValue)
        educationLevel = p.educationLevel.map { page.text("education_" + $0.rawValue) } ?? "–"
        func flag(_ value: Bool?) -> String { value.map { page.text($0 ? "yes" : "no") } ?? "–" }
        migrantBackground = flag(p.specialCategories?.migrantBackground)
        disability = flag(p.specialCategories?.disability)
        otherDisadvantaged = flag(p.specialCategories?.otherDisadvantaged)
        let participation = ["id": String(p.id)]
        exitLink = p.to == nil ? page.formLink("esf", "exitParticipation", participation, requiring: ESFPermissions.participationWrite) : nil
        sixMonthLink =
            p.to != nil && p.sixMonthResults == nil
            ? page.formLink("esf", "recordSixMonthResults", participation, requiring: ESFPermissions.participationWrite) : nil
        periodLinks = row.periods.compactMap { period in
            page.formLink(
                "esf",
                "correctParticipationPeriod",
                ["id": String(p.id), "periodId": String(period.id)],
                requiring: ESFPermissions.participationWrite
            )
            .map { ["label": page.text("correctPeriodLink", ["from": period.from]), "link": $0] }
        }
    }
}

/// A month's participant report with its state, due day and overdue flag, and its submit form.
struct MonthlyReportView {
    let month: String
    let version: Int
    let state: String
    let dueOn: String
    let overdue: Bool
    let started: Int
    let ended: Int
    let submittedBy: String
    let submitAction: String?
    /// The form that re-opens a submitted month for correction.
    let reopenLink: String?

    init(_ report: MonthlyReport, canSubmit: Bool, page: PageContext) {
        month = report.month
        version = report.version
        state = page.text("report_" + report.state.rawValue)
        dueOn = report.dueOn.description
        overdue = report.overdue
        started = report.started
        ended = report.ended
        submittedBy = report.submittedBy ?? "–"
        submitAction = canSubmit && report.state == .open ? "/esf/projects/\(report.projectId)/monthly-reports/\(report.month)/submit" : nil
        reopenLink =
            report.state == .submitted
            ? page.formLink(
                "esf",
                "reopenMonthlyReport",
                ["id": String(report.projectId), "month": report.month],
                requiring: ESFPermissions.reportWrite
            ) : nil
    }
}

/// An indicator's line, split by gender (rule 15).
struct IndicatorView {
    let code: String
    let name: String
    let kind: String
    let total: String
    let women: String
    let men: String

    /// The line, or `nil` for a special-category indicator the viewer may not see; a suppressed
    /// count shows as its band (`< 5`).
    init?(_ line: IndicatorReport.Line, page: PageContext) {
        guard !line.restricted else { return nil }
        code = line.code
        let key = "indicator_" + line.code
        name = page.templates.strings.entries[key] == nil ? line.name : page.text(key)
        kind = page.text("indicatorKind_" + line.kind.rawValue)
        total = (line.total ?? 0).description
        women = (line.women ?? 0).description
        men = (line.men ?? 0).description
    }
}

/// A booked cost as a project's page lists it, the amount in kronor in the viewer's language.
struct CostView {
    let on: String
    let category: String
    let amount: String
    let description: String

    init(_ cost: CostEntry, page: PageContext) {
        on = cost.on.description
        category = page.text("costCategory_" + cost.category.rawValue)
        amount = Kronor.text(cost.amount, page.language)
        description = cost.description
    }
}

/// A payment claim as a project's page lists it: its period, state and totals in kronor, and the
/// form that moves it on while it is not paid.
struct ClaimView {
    let period: String
    let state: String
    let eligible: String
    let euAmount: String
    let paid: String
    let changeLink: String?

    init(_ claim: Claim, page: PageContext) {
        period = "\(claim.from) – \(claim.to)"
        state = page.text("claimState_" + claim.state.rawValue)
        eligible = Kronor.text(claim.totals.eligible, page.language)
        euAmount = Kronor.text(claim.totals.euAmount, page.language)
        paid = claim.paidAmount.map { Kronor.text($0, page.language) } ?? "–"
        changeLink =
            claim.state == .paid
            ? nil : page.formLink("esf", "changeClaimState", ["id": String(claim.id)], requiring: ESFPermissions.costWrite)
    }
}

/// One bad value of a refused import: its row (the header is row 1), its column and why.
struct ImportErrorView {
    let line: String
    let column: String
    let reason: String

    /// From the refusal's problem, whose pointer is `/lines/<line>/<column>`.
    init(_ problem: FieldProblem, page: PageContext) {
        let parts = problem.pointer.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        // ["", "lines", "<line>/<column>"]: the column's name may itself hold a slash.
        let rest = parts.count == 3 ? parts[2].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false) : []
        line = rest.first.map(String.init) ?? "–"
        let named = rest.count == 2 ? String(rest[1]) : ""
        column = named.isEmpty ? page.text("importWholeLine") : named
        // In the reader's language where the importer gave a wording, as it wrote it otherwise.
        reason = page.localized([problem]).first?.detail ?? problem.detail
    }
}
