import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import Supervision

@Suite("Sessions and goals")
struct SessionTests {
    typealias F = SupervisionFixture
    static let day = LocalDate(year: 2016, month: 3, day: 10)!

    func session(_ f: F, assignment: Int, minutes: Int = 90, attendees: [Int]? = nil, goals: [Int]? = nil) -> SessionDraft {
        SessionDraft(
            assignmentId: assignment,
            on: Self.day,
            minutes: minutes,
            attendeeIds: attendees ?? [f.members[0]],
            topics: [.economy, .boardWork],
            actions: [AgreedAction(what: "Budget till styrelsen", ownerId: f.members[0], due: Self.day.adding(days: 14))],
            goalIds: goals,
            notes: "Genomgång av kvartalet"
        )
    }

    @Test("a session is recorded with attendees, topics, actions and goals; an open goal it works on is now in progress")
    func record() async throws {
        try await F.with { f async throws in
            let a = try await f.write { s, tx in try s.createAssignment(f.draft(0), reach: .everything, actor: F.actor, in: tx) }
            let goal = try await f.write { s, tx in
                try s.createGoal(
                    GoalDraft(cooperativeId: f.cooperatives[0], title: "Egen bokföring"),
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            #expect(goal.state == .open)
            let recorded = try await f.write { s, tx in
                try s.createSession(session(f, assignment: a.id, goals: [goal.id]), reach: .everything, actor: F.actor, in: tx)
            }
            #expect(recorded.attendeeIds == [f.members[0]])
            #expect(recorded.topics == [.boardWork, .economy])
            #expect(recorded.actions == [AgreedAction(what: "Budget till styrelsen", ownerId: f.members[0], due: Self.day.adding(days: 14))])
            #expect(recorded.goalIds == [goal.id])
            let worked = try await f.read { s, db in try s.goal(id: goal.id, reach: .everything, in: db) }
            #expect(worked.state == .inProgress)
            #expect(worked.sessionIds == [recorded.id])
        }
    }

    @Test(
        "a duration of 0 or over 12 hours, no topic, an attendee who is not a member, a due date before the session: refused naming the field, nothing stored"
    )
    func badInput() async throws {
        try await F.with { f async throws in
            let a = try await f.write { s, tx in try s.createAssignment(f.draft(0), reach: .everything, actor: F.actor, in: tx) }
            var drafts: [(String, SessionDraft)] = [
                ("/minutes", session(f, assignment: a.id, minutes: 0)),
                ("/minutes", session(f, assignment: a.id, minutes: 721)),
                ("/attendeeIds/1", session(f, assignment: a.id, attendees: [f.members[0], f.stranger])),
                ("/attendeeIds/0", session(f, assignment: a.id, attendees: [f.members[1]])),
            ]
            var noTopic = session(f, assignment: a.id)
            noTopic.topics = []
            drafts.append(("/topics", noTopic))
            var late = session(f, assignment: a.id)
            late.actions = [AgreedAction(what: "x", ownerId: nil, due: Self.day.adding(days: -1))]
            drafts.append(("/actions/0/due", late))
            for (field, draft) in drafts {
                let error = await #expect(throws: FeatureError.self) {
                    try await f.write { s, tx in try s.createSession(draft, reach: .everything, actor: F.actor, in: tx) }
                }
                #expect(error?.field == field, "\(field)")
            }
            #expect(try await f.count("sessions") == 0)
            #expect(try await f.count("session_attendees") == 0)
        }
    }

    @Test("a session on an ended assignment is refused")
    func endedAssignment() async throws {
        try await F.with { f async throws in
            let a = try await f.write { s, tx in try s.createAssignment(f.draft(0), reach: .everything, actor: F.actor, in: tx) }
            _ = try await f.write { s, tx in
                try s.changeState(
                    ofAssignment: a.id,
                    AssignmentStateChange(state: .ended, on: F.start),
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            let error = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in try s.createSession(session(f, assignment: a.id), reach: .everything, actor: F.actor, in: tx) }
            }
            #expect(error?.code == .conflict)
            #expect(error?.field == "/assignmentId")
        }
    }

    @Test("a supervisor writes sessions under its own provider's assignments only; other cooperatives do not exist for it")
    func supervisorWrites() async throws {
        try await F.with { f async throws in
            let own = try await f.write { s, tx in try s.createAssignment(f.draft(0), reach: .everything, actor: F.actor, in: tx) }
            let others = try await f.write { s, tx in
                try s.createAssignment(f.draft(0, provider: f.umbrella, supervisor: f.umbrellaSupervisor), reach: .everything, actor: F.actor, in: tx)
            }
            let outside = try await f.write { s, tx in
                try s.createAssignment(f.draft(1, provider: f.umbrella, supervisor: f.umbrellaSupervisor), reach: .everything, actor: F.actor, in: tx)
            }
            let reach = Reach.provider(f.unit)
            let recorded = try await f.write { s, tx in try s.createSession(session(f, assignment: own.id), reach: reach, actor: F.actor, in: tx) }
            #expect(recorded.assignmentId == own.id)
            let forbidden = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in try s.createSession(session(f, assignment: others.id), reach: reach, actor: F.actor, in: tx) }
            }
            #expect(forbidden?.code == .forbidden)
            let unknown = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.createSession(session(f, assignment: outside.id, attendees: [f.members[1]]), reach: reach, actor: F.actor, in: tx)
                }
            }
            #expect(unknown?.code == .invalidInput)
            #expect(unknown?.message == "no assignment with id \(outside.id)")
            #expect(try await f.count("sessions") == 1)
        }
    }

    @Test("goals go open → inProgress → met | dropped and no other way")
    func goalStates() async throws {
        try await F.with { f async throws in
            let goal = try await f.write { s, tx in
                try s.createGoal(
                    GoalDraft(cooperativeId: f.cooperatives[0], personId: f.members[0], title: "Körkort"),
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            func change(_ state: GoalState) async throws -> Goal {
                try await f.write { s, tx in
                    try s.changeState(
                        ofGoal: goal.id,
                        GoalStateChange(state: state, on: Self.day),
                        today: Self.day,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            let early = await #expect(throws: FeatureError.self) { try await change(.met) }
            #expect(early?.code == .conflict)
            #expect(try await change(.inProgress).state == .inProgress)
            let met = try await change(.met)
            #expect(met.state == .met)
            #expect(met.closedOn == Self.day)
            let reopened = await #expect(throws: FeatureError.self) { try await change(.inProgress) }
            #expect(reopened?.code == .conflict)
            let notMember = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.createGoal(
                        GoalDraft(cooperativeId: f.cooperatives[0], personId: f.stranger, title: "x"),
                        today: F.start,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(notMember?.field == "/personId")
        }
    }
}
