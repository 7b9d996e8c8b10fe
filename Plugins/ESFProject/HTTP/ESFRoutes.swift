import DataAccess
import Foundation
import Hummingbird
import PluginKit
import Registry

/// The ESF API under `/api/v1/esf`. Every route checks a permission; special-category data
/// is in a response only for a caller holding ``ESFPermissions/specialCategories``.
struct ESFRoutes: Sendable {
    let store: ESFStore

    typealias P = ESFPermissions

    func register(on group: RouterGroup<AppRequestContext>) {
        registerProjects(on: group)
        registerParticipants(on: group)
        registerReports(on: group)
        registerCosts(on: group)
    }

    func reach(_ principal: Principal) -> Reach { store.registry.reach(of: principal) }

    static func month(_ context: AppRequestContext) throws -> LocalDate {
        let text = try context.parameters.require("month")
        guard let month = ProjectCalendar.month(text) else {
            throw FeatureError(.invalidInput, "'\(text.prefix(40))' is not \(ProjectCalendar.monthFormat)", field: "month")
        }
        return month
    }

    func registerProjects(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        group.on("projects", method: .get, requiring: P.read) { request, _, _ in
            let (state, page) = (try request.queryValue("state", as: ProjectState.self), try request.pageRequest())
            return try await store.database.withConnection { db in try store.projects(state: state, page: page, in: db) }
        }
        group.on("projects", method: .post, requiring: P.projectWrite) { request, context, principal in
            let draft = try await request.decodeJSON(as: ProjectDraft.self, context: context)
            let (reach, actor) = (reach(principal), try context.actor())
            let project = try await store.database.transaction { tx in try store.createProject(draft, reach: reach, actor: actor, in: tx) }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/esf/projects/\(project.id)"], response: project)
        }
        group.on("projects/{id}", method: .get, requiring: P.read) { _, context, _ in
            let id = try context.parameters.require("id", as: Int.self)
            return try await store.database.withConnection { db in try store.project(id: id, in: db) }
        }
        group.on("projects/{id}/state", method: .post, requiring: P.projectWrite) { request, context, _ in
            let id = try context.parameters.require("id", as: Int.self)
            let change = try await request.decodeJSON(as: ProjectStateChange.self, context: context)
            let actor = try context.actor()
            return try await store.database.transaction { tx in try store.changeState(ofProject: id, to: change.state, actor: actor, in: tx) }
        }
        group.on("projects/{id}/progress", method: .get, requiring: P.read) { request, context, _ in
            let id = try context.parameters.require("id", as: Int.self)
            let asOf = try request.queryDate("asOf") ?? LocalDate.today()
            return try await store.database.withConnection { db in try store.progress(ofProject: id, asOf: asOf, in: db) }
        }
        group.on("indicator-sets", method: .get, requiring: P.read) { _, _, _ in
            try await store.database.withConnection { db in Items(items: try store.indicatorSets(in: db)) }
        }
        group.on("indicator-sets/{set}", method: .get, requiring: P.read) { _, context, _ in
            let set = try context.parameters.require("set")
            return try await store.database.withConnection { db in Items(items: try store.indicators(ofSet: set, in: db)) }
        }
        group.on("indicator-sets/{set}", method: .put, requiring: P.indicatorsWrite) { request, context, _ in
            let set = try context.parameters.require("set")
            let definitions = try await request.decodeJSON(as: [IndicatorDefinition].self, context: context)
            let actor = try context.actor()
            return try await store.database.transaction { tx in Items(items: try store.loadIndicatorSet(set, definitions, actor: actor, in: tx)) }
        }
    }

    func registerParticipants(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        group.on("projects/{id}/participations", method: .get, requiring: P.read) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let (activeOn, page, special) = (try request.queryDate("activeOn"), try request.pageRequest(), principal.holds(P.specialCategories))
            return try await store.database.withConnection { db in
                try store.participations(ofProject: id, activeOn: activeOn, page: page, special: special, in: db)
            }
        }
        group.on("projects/{id}/participations", method: .post, requiring: P.participationWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let draft = try await request.decodeJSON(as: ParticipationDraft.self, context: context)
            let (reach, actor, special) = (reach(principal), try context.actor(), principal.holds(P.specialCategories))
            let (participation, reentered) = try await store.database.transaction { tx in
                try store.enter(draft, project: id, special: special, reach: reach, actor: actor, in: tx)
            }
            return EditedResponse(
                status: reentered ? .ok : .created,
                headers: [.location: "/api/v1/esf/participations/\(participation.id)"],
                response: participation
            )
        }
        group.on("participations/{id}", method: .get, requiring: P.read) { _, context, principal in
            let (id, special) = (try context.parameters.require("id", as: Int.self), principal.holds(P.specialCategories))
            return try await store.database.withConnection { db in try store.participation(id: id, special: special, in: db) }
        }
        group.on("participations/{id}/exit", method: .post, requiring: P.participationWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let exit = try await request.decodeJSON(as: ParticipationExit.self, context: context)
            let (actor, special, today) = (try context.actor(), principal.holds(P.specialCategories), LocalDate.today())
            return try await store.database.transaction { tx in
                try store.exit(exit, participation: id, today: today, special: special, actor: actor, in: tx)
            }
        }
        group.on("participations/{id}/six-month-results", method: .post, requiring: P.participationWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let followUp = try await request.decodeJSON(as: SixMonthFollowUp.self, context: context)
            let (actor, special, today) = (try context.actor(), principal.holds(P.specialCategories), LocalDate.today())
            return try await store.database.transaction { tx in
                try store.recordSixMonths(followUp, participation: id, today: today, special: special, actor: actor, in: tx)
            }
        }
        group.on("projects/{id}/jobs", method: .get, requiring: P.read) { request, context, _ in
            let id = try context.parameters.require("id", as: Int.self)
            let (employer, page) = (try request.queryInt("employerId"), try request.pageRequest())
            return try await store.database.withConnection { db in try store.jobs(ofProject: id, employerId: employer, page: page, in: db) }
        }
        group.on("projects/{id}/jobs", method: .post, requiring: P.jobWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let draft = try await request.decodeJSON(as: JobDraft.self, context: context)
            let (reach, actor) = (reach(principal), try context.actor())
            let job = try await store.database.transaction { tx in try store.createJob(draft, project: id, reach: reach, actor: actor, in: tx) }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/esf/jobs/\(job.id)"], response: job)
        }
        group.on("jobs/{id}", method: .get, requiring: P.read) { _, context, _ in
            let id = try context.parameters.require("id", as: Int.self)
            return try await store.database.withConnection { db in try store.job(id: id, in: db) }
        }
        group.on("projects/{id}/imports", method: .post, requiring: P.importRun) { request, context, _ in
            let id = try context.parameters.require("id", as: Int.self)
            var request = request
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            let (actor, today) = (try context.actor(), LocalDate.today())
            let bytes = Array(body.readableBytesView)
            let report = try await store.database.transaction { tx in try store.importCSV(bytes, project: id, today: today, actor: actor, in: tx) }
            return EditedResponse(status: report.created + report.reentered > 0 ? .created : .ok, response: report)
        }
    }

    func registerReports(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        group.on("projects/{id}/indicators", method: .get, requiring: P.read) { request, context, principal -> Response in
            let id = try context.parameters.require("id", as: Int.self)
            guard let from = try request.queryDate("from"), let to = try request.queryDate("to") else {
                throw FeatureError(.invalidInput, "give the period as from=YYYY-MM-DD&to=YYYY-MM-DD", field: "from")
            }
            guard to >= from else { throw FeatureError(.invalidInput, "the period ends (\(to)) before it begins (\(from))", field: "to") }
            let special = principal.holds(P.specialCategories)
            let report = try await store.database.withConnection { db in
                try store.indicatorReport(ofProject: id, from: from, to: to, special: special, in: db)
            }
            if request.wantsCSV {
                return try report.csv.response(filename: "esf-\(id)-indicators-\(from)-\(to).csv").response(from: request, context: context)
            }
            return try report.response(from: request, context: context)
        }
        group.on("projects/{id}/monthly-reports", method: .get, requiring: P.read) { _, context, _ in
            let (id, today) = (try context.parameters.require("id", as: Int.self), LocalDate.today())
            return try await store.database.withConnection { db in Items(items: try store.monthlyReports(ofProject: id, today: today, in: db)) }
        }
        group.on("projects/{id}/monthly-reports/{month}/submit", method: .post, requiring: P.reportWrite) { _, context, _ in
            let (id, month, today) = (try context.parameters.require("id", as: Int.self), try Self.month(context), LocalDate.today())
            let actor = try context.actor()
            return try await store.database.transaction { tx in try store.submitMonth(month, project: id, today: today, actor: actor, in: tx) }
        }
        group.on("projects/{id}/monthly-reports/{month}/reopen", method: .post, requiring: P.reportWrite) { request, context, _ in
            let (id, month, today) = (try context.parameters.require("id", as: Int.self), try Self.month(context), LocalDate.today())
            let body = try await request.decodeJSON(as: Reopen.self, context: context)
            let actor = try context.actor()
            return try await store.database.transaction { tx in
                _ = try store.monthlyReport(ofProject: id, month: month, today: today, in: tx)
                let reopened = try store.reopenMonths(from: month, project: id, reason: body.reason, actor: actor, in: tx)
                guard !reopened.isEmpty else {
                    throw FeatureError(
                        .conflict,
                        "no report from \(ProjectCalendar.label(month)) on is submitted; nothing to re-open",
                        field: "/state"
                    )
                }
                return Items(items: reopened)
            }
        }
        group.on("projects/{id}/monthly-reports/{month}/export", method: .get, requiring: P.read) { request, context, principal -> Response in
            let (id, month) = (try context.parameters.require("id", as: Int.self), try Self.month(context))
            let full = request.queryText("identityNumbers") == "full"
            if full, !principal.holds(P.identityNumbers) {
                throw FeatureError(.forbidden, "the role \(principal.role) may not export full identity numbers", field: "identityNumbers")
            }
            let (actor, special) = (try context.actor(), principal.holds(P.specialCategories))
            let csv = try await store.database.transaction { tx in
                try store.monthlyExport(ofProject: id, month: month, fullNumbers: full, special: special, actor: actor, in: tx)
            }
            return try csv.response(filename: "esf-\(id)-participants-\(ProjectCalendar.label(month)).csv").response(from: request, context: context)
        }
        group.on("reminders", method: .get, requiring: P.read) { request, _, _ in
            let (project, today) = (try request.queryInt("projectId"), try request.queryDate("asOf") ?? LocalDate.today())
            return try await store.database.withConnection { db in Items(items: try store.reminders(today: today, projectId: project, in: db)) }
        }
    }

    func registerCosts(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        group.on("projects/{id}/costs", method: .get, requiring: P.read) { request, context, _ in
            let id = try context.parameters.require("id", as: Int.self)
            let (from, to) = (try request.queryDate("from"), try request.queryDate("to"))
            return try await store.database.withConnection { db in Items(items: try store.costs(ofProject: id, from: from, to: to, in: db)) }
        }
        group.on("projects/{id}/costs", method: .post, requiring: P.costWrite) { request, context, _ in
            let id = try context.parameters.require("id", as: Int.self)
            let draft = try await request.decodeJSON(as: CostDraft.self, context: context)
            let actor = try context.actor()
            let cost = try await store.database.transaction { tx in try store.bookCost(draft, project: id, actor: actor, in: tx) }
            return EditedResponse(status: .created, response: cost)
        }
        group.on("projects/{id}/claims", method: .get, requiring: P.read) { _, context, _ in
            let id = try context.parameters.require("id", as: Int.self)
            return try await store.database.withConnection { db in Items(items: try store.claims(ofProject: id, in: db)) }
        }
        group.on("projects/{id}/claims", method: .post, requiring: P.costWrite) { request, context, _ in
            let id = try context.parameters.require("id", as: Int.self)
            let draft = try await request.decodeJSON(as: ClaimDraft.self, context: context)
            let actor = try context.actor()
            let claim = try await store.database.transaction { tx in try store.createClaim(draft, project: id, actor: actor, in: tx) }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/esf/claims/\(claim.id)"], response: claim)
        }
        group.on("claims/{id}", method: .get, requiring: P.read) { _, context, _ in
            let id = try context.parameters.require("id", as: Int.self)
            return try await store.database.withConnection { db in try store.claim(id: id, in: db) }
        }
        group.on("claims/{id}/state", method: .post, requiring: P.costWrite) { request, context, _ in
            let id = try context.parameters.require("id", as: Int.self)
            let change = try await request.decodeJSON(as: ClaimStateChange.self, context: context)
            let (actor, today) = (try context.actor(), LocalDate.today())
            return try await store.database.transaction { tx in try store.changeState(ofClaim: id, change, today: today, actor: actor, in: tx) }
        }
    }
}

/// Why a month is re-opened.
struct Reopen: Sendable, Hashable, Codable {
    var reason: String
}

extension Project: ResponseEncodable {}
extension Participation: ResponseEncodable {}
extension Job: ResponseEncodable {}
extension JobProgress: ResponseEncodable {}
extension IndicatorReport: ResponseEncodable {}
extension MonthlyReport: ResponseEncodable {}
extension CostEntry: ResponseEncodable {}
extension Claim: ResponseEncodable {}
extension ImportReport: ResponseEncodable {}
