import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import Hummingbird
import PageKit
import PluginKit
import Registry

/// The ESF pages: the projects, a project's page (its progress toward the jobs target as a
/// chart and a table, the indicators by gender, the monthly participant reports with a form to
/// mark one submitted), and a project's participants to search and download. Participant data
/// is under secrecy: the pages need `esf.read` (supervisors have none of it), and the
/// special-category attributes and indicators show only to a viewer holding
/// ``ESFPermissions/specialCategories``, as in the API; identity numbers are always masked.
struct ESFPages: PageProvider {
    let store: ESFStore
    let templates: PageTemplates

    typealias P = ESFPermissions

    /// The latest costs a project's page lists (the API and the claims have them all).
    static let costsShown = 50

    var navigation: [NavigationEntry] {
        [
            NavigationEntry(titleKey: "navTitle", path: "/esf", permission: P.read),
            NavigationEntry(titleKey: "navReport", path: "/esf/progress-report", permission: P.read),
        ]
    }

    func addPages(to router: PageRouter) {
        router.get("", requiring: P.read) { request, page in try await projects(request: request, page: page) }
        router.get("progress-report", requiring: P.read) { request, page in try await progressReport(request: request, page: page) }
        router.get("projects/{id}", requiring: P.read) { request, page in try await project(request: request, page: page) }
        router.get("projects/{id}/participants", requiring: P.read) { request, page in try await participants(request: request, page: page) }
        router.get("projects/{id}/import", requiring: P.importRun) { _, page in try await importForm(page: page) }
        router.upload("projects/{id}/import", requiring: P.importRun) { _, page in try await importFile(page: page) }
        router.post("projects/{id}/monthly-reports/{month}/submit", requiring: P.reportWrite) { _, page in
            let id = try page.requestContext.parameters.require("id", as: Int.self)
            let month = try page.requestContext.parameters.require("month")
            // The API's submission: its checks, its audit row; a refusal (already submitted, a month
            // not yet ended) is its 409 or 422, on the error page.
            try await page.perform("esf", "submitMonthlyReport", path: ["id": String(id), "month": month])
            return page.redirect(to: "/esf/projects/\(id)#monthly-reports", notice: "reportSubmitted")
        }
    }

    // MARK: - Projects

    func projects(request: Request, page: PageContext) async throws -> PageResult {
        let query = try ListQuery(request, sortKeys: Array(ESFStore.projectSorts.keys), defaultSort: "name")
        if request.wantsCSV {
            let found = try await store.database.withConnection { db in
                try store.projectList(query, limit: ListQuery.downloadLimit, offset: 0, in: db)
            }
            var csv = CSV("id", "caseNumber", "name", "owner", "state", "from", "to", "jobs", "jobsTarget", "jobsTargetOn")
            for row in found.rows {
                let p = row.project
                csv.add(
                    String(p.id),
                    p.caseNumber,
                    p.name,
                    row.ownerName,
                    p.state.rawValue,
                    p.from.description,
                    p.to.description,
                    String(row.jobs),
                    p.jobsTarget.map(String.init) ?? "",
                    p.jobsTargetOn?.description ?? ""
                )
            }
            return .csv(csv, filename: "esf-projekt.csv")
        }
        let found = try await store.database.withConnection { db in try store.projectList(query, limit: query.pageSize, offset: query.offset, in: db)
        }
        let list = ListView(
            query: query,
            total: found.total,
            columns: [
                ("name", page.text("projectName")), ("caseNumber", page.text("caseNumber")), (nil, page.text("owner")),
                ("state", page.text("state")), ("from", page.text("period")), (nil, page.text("jobs")),
            ],
            context: page
        )
        var data: [String: Any] = ["list": list, "rows": found.rows.map { ProjectView($0, page: page) }]
        data["newProject"] = page.formLink("esf", "createProject", requiring: P.projectWrite)
        return try page.render("projects", title: page.text("projectsTitle"), data)
    }

    func project(request: Request, page: PageContext) async throws -> PageResult {
        let id = try page.requestContext.parameters.require("id", as: Int.self)
        let today = LocalDate.today()
        let asOf = try request.queryDate("asOf") ?? today
        let special = page.principal.holds(P.specialCategories)
        let (row, progress, reports, indicators, costs, claims) = try await store.database.withConnection { db in
            let project = try store.project(id: id, in: db)
            let from = try request.queryDate("from") ?? project.from
            let to = try request.queryDate("to") ?? project.to
            guard to >= from else { throw FeatureError(.invalidInput, "the period ends (\(to)) before it begins (\(from))", field: "to") }
            let owner = try db.query("SELECT name FROM registry.organisations WHERE id = \(project.ownerId)").single().decode("name", as: String.self)
            let jobs = try db.query("SELECT count(*) AS n FROM esf.jobs WHERE project_id = \(id)").single().decode("n", as: Int.self)
            let coordinator = try store.staff.displayNames([project.coordinatorUserId], in: db).values.first
            return (
                ProjectRow(project: project, ownerName: owner, jobs: jobs, coordinatorName: coordinator),
                try store.progress(ofProject: id, asOf: asOf, in: db),
                try store.monthlyReports(ofProject: id, today: today, in: db),
                try store.indicatorReport(ofProject: id, from: from, to: to, special: special, in: db),
                try store.costs(ofProject: id, from: nil, to: nil, in: db),
                try store.claims(ofProject: id, in: db)
            )
        }
        let canSubmit = page.principal.holds(P.reportWrite)
        let project = ["id": String(id)]
        let lines = indicators.indicators.compactMap { IndicatorView($0, page: page) }
        let restricted = indicators.indicators.count - lines.count
        var data: [String: Any] = [
            "project": ProjectView(row, page: page),
            "chart": JobsChart(progress: progress, project: row.project, page: page),
            "progress": [
                "jobs": progress.jobs, "asOf": progress.asOf.description,
                "projected": progress.projected.map(String.init) ?? "–",
                "onTrack": progress.onTrack.map { page.text($0 ? "onTrack" : "notOnTrack") } ?? "–",
            ] as [String: Any],
            "reports": reports.reversed().map { MonthlyReportView($0, canSubmit: canSubmit, page: page) },
            "indicators": lines,
            "indicatorPeriod": ["from": indicators.from.description, "to": indicators.to.description, "action": "/esf/projects/\(id)"],
            "restrictedNote": restricted > 0
                ? page.text("indicatorsRestricted", ["count": String(restricted)]) : "",
            "participantsLink": "/esf/projects/\(id)/participants",
            "reportLink": "/esf/progress-report?project=\(id)",
            "costs": costs.suffix(Self.costsShown).reversed().map { CostView($0, page: page) },
            "claims": claims.map { ClaimView($0, page: page) },
        ]
        // The forms of the project's writes, each only for a viewer who may use it.
        data["changeState"] = page.formLink("esf", "changeProjectState", project, requiring: P.projectWrite)
        data["setResponsible"] = page.formLink("esf", "setProjectResponsible", project, requiring: P.projectWrite)
        data["newParticipant"] = page.formLink("esf", "enterParticipation", project, requiring: P.participationWrite)
        data["newJob"] = page.formLink("esf", "createJob", project, requiring: P.jobWrite)
        data["bookCost"] = page.formLink("esf", "bookCost", project, requiring: P.costWrite)
        data["newClaim"] = page.formLink("esf", "createClaim", project, requiring: P.costWrite)
        if page.principal.holds(P.importRun) { data["importLink"] = "/esf/projects/\(id)/import" }
        return try page.render("project", title: row.project.name, data)
    }

    // MARK: - Participants

    func participants(request: Request, page: PageContext) async throws -> PageResult {
        let id = try page.requestContext.parameters.require("id", as: Int.self)
        let query = try ListQuery(request, sortKeys: Array(ESFStore.participantSorts.keys), defaultSort: "name")
        let special = page.principal.holds(P.specialCategories)
        if request.wantsCSV {
            let found = try await store.database.withConnection { db in
                try store.participantList(ofProject: id, query, limit: ListQuery.downloadLimit, offset: 0, special: special, in: db)
            }
            return .csv(Self.participantsCSV(found.rows, special: special), filename: "esf-\(id)-deltagare.csv")
        }
        let (project, found) = try await store.database.withConnection { db in
            (
                try store.project(id: id, in: db),
                try store.participantList(ofProject: id, query, limit: query.pageSize, offset: query.offset, special: special, in: db)
            )
        }
        var columns: [(key: String?, label: String)] = [
            ("name", page.text("name")), (nil, page.text("identityNumber")), ("gender", page.text("gender")), ("from", page.text("from")),
            ("to", page.text("to")), ("entryStatus", page.text("entryStatus")), (nil, page.text("educationLevel")),
        ]
        if special {
            columns += [(nil, page.text("migrantBackground")), (nil, page.text("disability")), (nil, page.text("otherDisadvantaged"))]
        }
        columns.append((nil, page.text("action")))
        let list = ListView(query: query, total: found.total, columns: columns, context: page)
        var data: [String: Any] = [
            "list": list, "rows": found.rows.map { ParticipantView($0, page: page) }, "special": special,
            "projectLink": "/esf/projects/\(id)", "projectName": project.name,
        ]
        data["newParticipant"] = page.formLink("esf", "enterParticipation", ["id": String(id)], requiring: P.participationWrite)
        return try page.render("participants", title: page.text("participantsTitle", ["name": project.name]), data)
    }

    /// The participants found, with masked identity numbers; special categories only when
    /// `special`.
    static func participantsCSV(_ rows: [ParticipantRow], special: Bool) -> CSV {
        var header = [
            "participationId", "personId", "name", "identityNumber", "gender", "from", "to", "lastEntryOn", "entries", "entryStatus",
            "educationLevel", "homeless",
        ]
        if special { header += ["migrantBackground", "disability", "otherDisadvantaged"] }
        header += ["exitResults", "sixMonthResults"]
        var csv = CSV(header)
        for row in rows {
            let p = row.participation
            var line = [
                String(p.id), String(p.personId), row.name, row.maskedNumber ?? "", p.gender, p.from.description, p.to?.description ?? "",
                p.lastEntryOn.description, String(p.entries), p.entryStatus.rawValue, p.educationLevel?.rawValue ?? "", ESFStore.flag(p.homeless),
            ]
            if special, let categories = p.specialCategories {
                line += [
                    ESFStore.flag(categories.migrantBackground), ESFStore.flag(categories.disability), ESFStore.flag(categories.otherDisadvantaged),
                ]
            }
            line += [(p.exitResults ?? []).map(\.rawValue).joined(separator: "|"), (p.sixMonthResults ?? []).map(\.rawValue).joined(separator: "|")]
            csv.add(row: line)
        }
        return csv
    }

    // MARK: - Contributions to shared pages

    /// The monthly reports due soon or overdue (the feature's reminders): one item per project
    /// for the overdue ones, one per month for those due soon.
    func attention(context: PageContext) async throws -> [AttentionItem] {
        guard context.principal.holds(P.read) else { return [] }
        let today = LocalDate.today()
        let (reports, names) = try await store.database.withConnection { db in
            let reports = try store.reminders(today: today, projectId: nil, in: db)
            var names: [Int: String] = [:]
            for row in try db.query("SELECT id, name FROM esf.projects WHERE state IN ('granted', 'running', 'closing')") {
                names[try row.decode("id")] = try row.decode("name")
            }
            return (reports, names)
        }
        var items: [AttentionItem] = []
        for (projectId, due) in Dictionary(grouping: reports, by: \.projectId).sorted(by: { $0.key < $1.key }) {
            let name = names[projectId] ?? String(projectId)
            let link = "/esf/projects/\(projectId)#monthly-reports"
            let overdue = due.filter(\.overdue).sorted { $0.dueOn < $1.dueOn }
            if let oldest = overdue.first {
                let title = context.text("attentionOverdueReports", ["count": String(overdue.count)])
                let subject = context.text("attentionOldestMonth", ["name": name, "month": oldest.month])
                items.append(AttentionItem(title: title, subject: subject, due: oldest.dueOn, overdue: true, link: link))
            }
            for report in due where !report.overdue {
                items.append(
                    AttentionItem(
                        title: context.text("attentionReportDue"),
                        subject: "\(name), \(report.month)",
                        due: report.dueOn,
                        overdue: false,
                        link: link
                    )
                )
            }
        }
        return items
    }

    /// For a project owner its projects; for an employer (a social enterprise) the jobs there.
    func organisationSection(_ organisationID: Int, context: PageContext) async throws -> PageSection? {
        guard context.principal.holds(P.read) else { return nil }
        let today = LocalDate.today()
        let known = try await store.database.withConnection { db in try store.organisationESF(organisationID, today: today, in: db) }
        guard !known.owned.isEmpty || !known.jobs.isEmpty else { return nil }
        let html = try context.fragment(
            "organisationSection",
            [
                "owned": known.owned.map { ProjectView($0, page: context) }, "hasOwned": !known.owned.isEmpty,
                "jobs": known.jobs.map {
                    ["link": "/esf/projects/\($0.projectId)", "project": $0.projectName, "jobs": $0.jobs, "current": $0.current]
                },
                "hasJobs": !known.jobs.isEmpty,
            ]
        )
        return PageSection(title: context.text("sectionTitle"), html: html, link: "/esf")
    }
}
