import DataAccess
import Foundation
import Hummingbird
import PluginKit
import Registry

/// The supervision API under `/api/v1/supervision`. Every route checks a permission and reads
/// through the caller's reach, so a cooperative outside it answers 404 as a missing one does.
struct SupervisionRoutes: Sendable {
    let store: SupervisionStore

    typealias P = SupervisionPermissions

    func register(on group: RouterGroup<AppRequestContext>) {
        registerAssignments(on: group)
        registerPots(on: group)
        registerSessionsAndGoals(on: group)
        registerFollowUp(on: group)
    }

    func reach(_ principal: Principal) -> Reach { store.registry.reach(of: principal) }

    func registerAssignments(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        group.on("assignments", method: .get, requiring: P.read) { request, _, principal in
            let query = AssignmentQuery(
                cooperativeId: try request.queryInt("cooperativeId"),
                providerId: try request.queryInt("providerId"),
                state: try request.queryValue("state", as: AssignmentState.self)
            )
            let (page, reach) = (try request.pageRequest(), reach(principal))
            return try await store.database.withConnection { db in try store.assignments(matching: query, page: page, reach: reach, in: db) }
        }
        group.on("assignments", method: .post, requiring: P.assignmentWrite) { request, context, principal in
            let draft = try await request.decodeJSON(as: AssignmentDraft.self, context: context)
            let (reach, actor) = (reach(principal), try context.actor())
            let assignment = try await store.database.transaction { tx in try store.createAssignment(draft, reach: reach, actor: actor, in: tx) }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/supervision/assignments/\(assignment.id)"], response: assignment)
        }
        group.on("assignments/{id}", method: .get, requiring: P.read) { _, context, principal in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            return try await store.database.withConnection { db in try store.assignment(id: id, reach: reach, in: db) }
        }
        group.on("assignments/{id}/state", method: .post, requiring: P.assignmentWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let change = try await request.decodeJSON(as: AssignmentStateChange.self, context: context)
            let (reach, actor, today) = (reach(principal), try context.actor(), LocalDate.today())
            return try await store.database.transaction { tx in
                try store.changeState(ofAssignment: id, change, today: today, reach: reach, actor: actor, in: tx)
            }
        }
        group.on("handovers", method: .post, requiring: P.handover) { request, context, _ in
            let handover = try await request.decodeJSON(as: HandoverRequest.self, context: context)
            let actor = try context.actor()
            let summary = try await store.database.transaction { tx in try store.handover(handover, actor: actor, in: tx) }
            return EditedResponse(status: summary.preview ? .ok : .created, response: summary)
        }
    }

    func registerPots(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        group.on("pots", method: .get, requiring: P.read) { request, _, principal in
            let (cooperative, page, reach, today) = (
                try request.queryInt("cooperativeId"), try request.pageRequest(), reach(principal), LocalDate.today()
            )
            return try await store.database.withConnection { db in
                try store.pots(cooperativeId: cooperative, page: page, today: today, reach: reach, in: db)
            }
        }
        group.on("pots", method: .post, requiring: P.potWrite) { request, context, principal in
            let draft = try await request.decodeJSON(as: FundingPotDraft.self, context: context)
            let (reach, actor, today) = (reach(principal), try context.actor(), LocalDate.today())
            let pot = try await store.database.transaction { tx in try store.createPot(draft, today: today, reach: reach, actor: actor, in: tx) }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/supervision/pots/\(pot.id)"], response: pot)
        }
        group.on("pots/{id}", method: .get, requiring: P.read) { request, context, principal in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            let day = try request.queryDate("asOf") ?? LocalDate.today()
            return try await store.database.withConnection { db in try store.pot(id: id, today: day, reach: reach, in: db) }
        }
        group.on("pots/{id}/spending", method: .get, requiring: P.read) { _, context, principal in
            let (id, reach, today) = (try context.parameters.require("id", as: Int.self), reach(principal), LocalDate.today())
            return try await store.database.withConnection { db in Items(items: try store.spending(ofPot: id, today: today, reach: reach, in: db)) }
        }
        group.on("pots/{id}/spending", method: .post, requiring: P.potWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let spending = try await request.decodeJSON(as: Spending.self, context: context)
            let (reach, actor, today) = (reach(principal), try context.actor(), LocalDate.today())
            return try await store.database.transaction { tx in
                try store.spend(spending, fromPot: id, today: today, reach: reach, actor: actor, in: tx)
            }
        }
        group.on("pots/{id}/review", method: .post, requiring: P.potWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let review = try await request.decodeJSON(as: PotReview.self, context: context)
            let (reach, actor, today) = (reach(principal), try context.actor(), LocalDate.today())
            return try await store.database.transaction { tx in
                try store.reviewPot(id: id, next: review.nextReviewOn, today: today, reach: reach, actor: actor, in: tx)
            }
        }
    }

    func registerSessionsAndGoals(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        group.on("sessions", method: .get, requiring: P.read) { request, _, principal in
            let query = SessionQuery(
                cooperativeId: try request.queryInt("cooperativeId"),
                assignmentId: try request.queryInt("assignmentId"),
                from: try request.queryDate("from"),
                to: try request.queryDate("to")
            )
            let (page, reach) = (try request.pageRequest(), reach(principal))
            return try await store.database.withConnection { db in try store.sessions(matching: query, page: page, reach: reach, in: db) }
        }
        group.on("sessions", method: .post, requiring: P.sessionWrite) { request, context, principal in
            let draft = try await request.decodeJSON(as: SessionDraft.self, context: context)
            let (reach, actor) = (reach(principal), try context.actor())
            let session = try await store.database.transaction { tx in try store.createSession(draft, reach: reach, actor: actor, in: tx) }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/supervision/sessions/\(session.id)"], response: session)
        }
        group.on("sessions/{id}", method: .get, requiring: P.read) { _, context, principal in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            return try await store.database.withConnection { db in try store.session(id: id, reach: reach, in: db) }
        }
        group.on("goals", method: .get, requiring: P.read) { request, _, principal in
            let (cooperative, state) = (try request.queryInt("cooperativeId"), try request.queryValue("state", as: GoalState.self))
            let (page, reach) = (try request.pageRequest(), reach(principal))
            return try await store.database.withConnection { db in
                try store.goals(cooperativeId: cooperative, state: state, page: page, reach: reach, in: db)
            }
        }
        group.on("goals", method: .post, requiring: P.goalWrite) { request, context, principal in
            let draft = try await request.decodeJSON(as: GoalDraft.self, context: context)
            let (reach, actor, today) = (reach(principal), try context.actor(), LocalDate.today())
            let goal = try await store.database.transaction { tx in try store.createGoal(draft, today: today, reach: reach, actor: actor, in: tx) }
            return EditedResponse(status: .created, headers: [.location: "/api/v1/supervision/goals/\(goal.id)"], response: goal)
        }
        group.on("goals/{id}", method: .get, requiring: P.read) { _, context, principal in
            let (id, reach) = (try context.parameters.require("id", as: Int.self), reach(principal))
            return try await store.database.withConnection { db in try store.goal(id: id, reach: reach, in: db) }
        }
        group.on("goals/{id}/state", method: .post, requiring: P.goalWrite) { request, context, principal in
            let id = try context.parameters.require("id", as: Int.self)
            let change = try await request.decodeJSON(as: GoalStateChange.self, context: context)
            let (reach, actor, today) = (reach(principal), try context.actor(), LocalDate.today())
            return try await store.database.transaction { tx in
                try store.changeState(ofGoal: id, change, today: today, reach: reach, actor: actor, in: tx)
            }
        }
    }

    func registerFollowUp(on group: RouterGroup<AppRequestContext>) {
        let store = self.store
        /// The period and day a report is for: `?period=2016-Q1&asOf=2016-03-31` (this month and today by default).
        @Sendable func report(_ request: Request, _ principal: Principal) async throws -> FollowUpReport {
            let asOf = try request.queryDate("asOf") ?? LocalDate.today()
            let period = try request.queryText("period").map { text throws(FeatureError) in try Period(parsing: text) } ?? Period.month(of: asOf)
            let reach = reach(principal)
            return try await store.database.withConnection { db in try store.followUp(period: period, asOf: asOf, reach: reach, in: db) }
        }
        group.on("report", method: .get, requiring: P.read) { request, _, principal in try await report(request, principal) }
        group.on("report/{part}", method: .get, requiring: P.read) { request, context, principal -> Response in
            let part = try context.parameters.require("part")
            guard let section = FollowUpCSV.Part(rawValue: part) else {
                throw FeatureError(.notFound, "no report part '\(part.prefix(40))'; there are: hours, inactive, due")
            }
            let followUp = try await report(request, principal)
            if request.wantsCSV {
                return try FollowUpCSV.csv(section, of: followUp)
                    .response(filename: "supervision-\(section.rawValue)-\(followUp.period.label).csv")
                    .response(from: request, context: context)
            }
            return try FollowUpCSV.json(section, of: followUp).response(from: request, context: context)
        }
        group.on("reminders", method: .get, requiring: P.read) { request, _, principal in
            let (page, reach) = (try request.pageRequest(), reach(principal))
            return try await store.database.withConnection { db in try store.reminders(page: page, reach: reach, in: db) }
        }
    }
}

/// The body of `POST pots/{id}/review`.
struct PotReview: Codable {
    /// The next review date; absent: none planned.
    var nextReviewOn: LocalDate?
}

extension Assignment: ResponseEncodable {}
extension FundingPot: ResponseEncodable {}
extension Session: ResponseEncodable {}
extension Goal: ResponseEncodable {}
extension HandoverSummary: ResponseEncodable {}
extension FollowUpReport: ResponseEncodable {}
