import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import OpenAPIRuntime
import PluginKit
import Registry

/// The supervision API under `/api/v1/supervision`, implementing the operations of the feature's
/// `openapi.yaml`. The host has checked each operation's permission before a handler runs; reads
/// go through the caller's reach, so a cooperative outside it answers 404 as a missing one does.
struct SupervisionAPI: APIProtocol, ReachScopedAPI {
    let store: SupervisionStore
    var registry: Registry { store.registry }

    // MARK: - Assignments

    func listAssignments(_ input: Operations.ListAssignments.Input) async throws -> Operations.ListAssignments.Output {
        let (reach, _, _) = try caller()
        let query = AssignmentQuery(
            cooperativeId: input.query.cooperativeId,
            providerId: input.query.providerId,
            state: input.query.state,
            caseNumber: input.query.caseNumber
        )
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        return .ok(.init(body: .json(try await read { db in try store.assignments(matching: query, page: page, reach: reach, in: db) })))
    }

    func createAssignment(_ input: Operations.CreateAssignment.Input) async throws -> Operations.CreateAssignment.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let assignment = try await write { tx in try store.createAssignment(draft, reach: reach, actor: actor, in: tx) }
        return .created(.init(headers: .init(location: "/api/v1/supervision/assignments/\(assignment.id)"), body: .json(assignment)))
    }

    func getAssignment(_ input: Operations.GetAssignment.Input) async throws -> Operations.GetAssignment.Output {
        let (reach, _, _) = try caller()
        return .ok(.init(body: .json(try await read { db in try store.assignment(id: input.path.id, reach: reach, in: db) })))
    }

    func setAssignmentResponsible(_ input: Operations.SetAssignmentResponsible.Input) async throws -> Operations.SetAssignmentResponsible.Output {
        let change =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let assignment = try await write { tx in try store.setResponsible(ofAssignment: input.path.id, change, reach: reach, actor: actor, in: tx) }
        return .ok(.init(body: .json(assignment)))
    }

    func changeAssignmentState(_ input: Operations.ChangeAssignmentState.Input) async throws -> Operations.ChangeAssignmentState.Output {
        let change =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let assignment = try await write { tx in
            try store.changeState(ofAssignment: input.path.id, change, today: today, reach: reach, actor: actor, in: tx)
        }
        return .ok(.init(body: .json(assignment)))
    }

    func runHandover(_ input: Operations.RunHandover.Input) async throws -> Operations.RunHandover.Output {
        let request =
            switch input.body {
            case .json(let body): body
            }
        let (_, actor, _) = try caller()
        let summary = try await write { tx in try store.handover(request, actor: actor, in: tx) }
        return summary.preview ? .ok(.init(body: .json(summary))) : .created(.init(body: .json(summary)))
    }

    // MARK: - Pots

    func listPots(_ input: Operations.ListPots.Input) async throws -> Operations.ListPots.Output {
        let ((reach, _, _), today) = (try caller(), LocalDate.today())
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let pots = try await read { db in
            try store.pots(
                cooperativeId: input.query.cooperativeId,
                caseNumber: input.query.caseNumber,
                page: page,
                today: today,
                reach: reach,
                in: db
            )
        }
        return .ok(.init(body: .json(pots)))
    }

    func createPot(_ input: Operations.CreatePot.Input) async throws -> Operations.CreatePot.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let pot = try await write { tx in try store.createPot(draft, today: today, reach: reach, actor: actor, in: tx) }
        return .created(.init(headers: .init(location: "/api/v1/supervision/pots/\(pot.id)"), body: .json(pot)))
    }

    func getPot(_ input: Operations.GetPot.Input) async throws -> Operations.GetPot.Output {
        let ((reach, _, _), day) = (try caller(), input.query.asOf ?? LocalDate.today())
        return .ok(.init(body: .json(try await read { db in try store.pot(id: input.path.id, today: day, reach: reach, in: db) })))
    }

    func setPotResponsible(_ input: Operations.SetPotResponsible.Input) async throws -> Operations.SetPotResponsible.Output {
        let change =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let pot = try await write { tx in try store.setResponsible(ofPot: input.path.id, change, today: today, reach: reach, actor: actor, in: tx) }
        return .ok(.init(body: .json(pot)))
    }

    func listPotSpending(_ input: Operations.ListPotSpending.Input) async throws -> Operations.ListPotSpending.Output {
        let ((reach, _, _), today) = (try caller(), LocalDate.today())
        let spending = try await read { db in try store.spending(ofPot: input.path.id, today: today, reach: reach, in: db) }
        return .ok(.init(body: .json(Items(items: spending))))
    }

    func spendFromPot(_ input: Operations.SpendFromPot.Input) async throws -> Operations.SpendFromPot.Output {
        let spending =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let pot = try await write { tx in try store.spend(spending, fromPot: input.path.id, today: today, reach: reach, actor: actor, in: tx) }
        return .ok(.init(body: .json(pot)))
    }

    func reviewPot(_ input: Operations.ReviewPot.Input) async throws -> Operations.ReviewPot.Output {
        let review =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let pot = try await write { tx in
            try store.reviewPot(id: input.path.id, next: review.nextReviewOn, today: today, reach: reach, actor: actor, in: tx)
        }
        return .ok(.init(body: .json(pot)))
    }

    func listPotDecisions(_ input: Operations.ListPotDecisions.Input) async throws -> Operations.ListPotDecisions.Output {
        let (reach, _, _) = try caller()
        return .ok(.init(body: .json(Items(items: try await read { db in try store.decisions(ofPot: input.path.id, reach: reach, in: db) }))))
    }

    func listPotLetters(_ input: Operations.ListPotLetters.Input) async throws -> Operations.ListPotLetters.Output {
        let (reach, _, _) = try caller()
        return .ok(.init(body: .json(Items(items: try await read { db in try store.letters(ofPot: input.path.id, reach: reach, in: db) }))))
    }

    func decidePot(_ input: Operations.DecidePot.Input) async throws -> Operations.DecidePot.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let decision = try await write { tx in try store.decide(draft, onPot: input.path.id, today: today, reach: reach, actor: actor, in: tx) }
        return .created(.init(body: .json(decision)))
    }

    // MARK: - Sessions and goals

    func listSessions(_ input: Operations.ListSessions.Input) async throws -> Operations.ListSessions.Output {
        let (reach, _, _) = try caller()
        let query = SessionQuery(
            cooperativeId: input.query.cooperativeId,
            assignmentId: input.query.assignmentId,
            from: input.query.from,
            to: input.query.to
        )
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        return .ok(.init(body: .json(try await read { db in try store.sessions(matching: query, page: page, reach: reach, in: db) })))
    }

    func createSession(_ input: Operations.CreateSession.Input) async throws -> Operations.CreateSession.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let (reach, actor, _) = try caller()
        let session = try await write { tx in try store.createSession(draft, reach: reach, actor: actor, in: tx) }
        return .created(.init(headers: .init(location: "/api/v1/supervision/sessions/\(session.id)"), body: .json(session)))
    }

    func getSession(_ input: Operations.GetSession.Input) async throws -> Operations.GetSession.Output {
        let (reach, _, _) = try caller()
        return .ok(.init(body: .json(try await read { db in try store.session(id: input.path.id, reach: reach, in: db) })))
    }

    func listGoals(_ input: Operations.ListGoals.Input) async throws -> Operations.ListGoals.Output {
        let (reach, _, _) = try caller()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let goals = try await read { db in
            try store.goals(cooperativeId: input.query.cooperativeId, state: input.query.state, page: page, reach: reach, in: db)
        }
        return .ok(.init(body: .json(goals)))
    }

    func createGoal(_ input: Operations.CreateGoal.Input) async throws -> Operations.CreateGoal.Output {
        let draft =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let goal = try await write { tx in try store.createGoal(draft, today: today, reach: reach, actor: actor, in: tx) }
        return .created(.init(headers: .init(location: "/api/v1/supervision/goals/\(goal.id)"), body: .json(goal)))
    }

    func getGoal(_ input: Operations.GetGoal.Input) async throws -> Operations.GetGoal.Output {
        let (reach, _, _) = try caller()
        return .ok(.init(body: .json(try await read { db in try store.goal(id: input.path.id, reach: reach, in: db) })))
    }

    func changeGoalState(_ input: Operations.ChangeGoalState.Input) async throws -> Operations.ChangeGoalState.Output {
        let change =
            switch input.body {
            case .json(let body): body
            }
        let ((reach, actor, _), today) = (try caller(), LocalDate.today())
        let goal = try await write { tx in try store.changeState(ofGoal: input.path.id, change, today: today, reach: reach, actor: actor, in: tx) }
        return .ok(.init(body: .json(goal)))
    }

    // MARK: - Follow-up

    /// The report for `?period=2016-Q1&asOf=2016-03-31` (this month and today by default).
    func followUp(period text: String?, asOf: LocalDate?) async throws -> FollowUpReport {
        let (reach, _, _) = try caller()
        let asOf = asOf ?? LocalDate.today()
        let period = try text.map { text throws(FeatureError) in try Period(parsing: text) } ?? Period.month(of: asOf)
        return try await read { db in try store.followUp(period: period, asOf: asOf, reach: reach, in: db) }
    }

    /// A part of the follow-up as a CSV download: the body and its `Content-Disposition`.
    static func download(_ part: FollowUpCSV.Part, of report: FollowUpReport) -> (body: HTTPBody, disposition: String) {
        (HTTPBody(FollowUpCSV.csv(part, of: report).text), CSV.attachment(filename: "supervision-\(part.rawValue)-\(report.period.label).csv"))
    }

    func getFollowUp(_ input: Operations.GetFollowUp.Input) async throws -> Operations.GetFollowUp.Output {
        .ok(.init(body: .json(try await followUp(period: input.query.period, asOf: input.query.asOf))))
    }

    func getFollowUpHours(_ input: Operations.GetFollowUpHours.Input) async throws -> Operations.GetFollowUpHours.Output {
        let report = try await followUp(period: input.query.period, asOf: input.query.asOf)
        guard CSV.isRequested(format: input.query.format?.rawValue, accept: input.headers.accept, csv: .csv) else {
            return .ok(.init(body: .json(Items(items: report.hours))))
        }
        let (body, disposition) = Self.download(.hours, of: report)
        return .ok(.init(headers: .init(contentDisposition: disposition), body: .csv(body)))
    }

    func getFollowUpInactive(_ input: Operations.GetFollowUpInactive.Input) async throws -> Operations.GetFollowUpInactive.Output {
        let report = try await followUp(period: input.query.period, asOf: input.query.asOf)
        guard CSV.isRequested(format: input.query.format?.rawValue, accept: input.headers.accept, csv: .csv) else {
            return .ok(.init(body: .json(Items(items: report.inactive))))
        }
        let (body, disposition) = Self.download(.inactive, of: report)
        return .ok(.init(headers: .init(contentDisposition: disposition), body: .csv(body)))
    }

    func getFollowUpDue(_ input: Operations.GetFollowUpDue.Input) async throws -> Operations.GetFollowUpDue.Output {
        let report = try await followUp(period: input.query.period, asOf: input.query.asOf)
        guard CSV.isRequested(format: input.query.format?.rawValue, accept: input.headers.accept, csv: .csv) else {
            return .ok(.init(body: .json(Items(items: report.due))))
        }
        let (body, disposition) = Self.download(.due, of: report)
        return .ok(.init(headers: .init(contentDisposition: disposition), body: .csv(body)))
    }

    func listReminders(_ input: Operations.ListReminders.Input) async throws -> Operations.ListReminders.Output {
        let (reach, _, _) = try caller()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        return .ok(.init(body: .json(try await read { db in try store.reminders(page: page, reach: reach, in: db) })))
    }
}
