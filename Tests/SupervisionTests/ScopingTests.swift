import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry
import Testing

@testable import Supervision

/// What a supervisor (a provider's reach) sees: the cooperatives its organisation is or was
/// assigned to, and nothing else, through every read.
@Suite("Scoping")
struct ScopingTests {
    typealias F = SupervisionFixture

    @Test("every read within reach answers; every read outside answers not found; lists hold only what is within reach")
    func matrix() async throws {
        try await F.with { f async throws in
            // The unit supervised cooperative 0 (ended), the umbrella supervises cooperative 1.
            let past = try await f.write { s, tx in try s.createAssignment(f.draft(0), reach: .everything, actor: F.actor, in: tx) }
            let other = try await f.write { s, tx in
                try s.createAssignment(f.draft(1, provider: f.umbrella, supervisor: f.umbrellaSupervisor), reach: .everything, actor: F.actor, in: tx)
            }
            func records(_ index: Int, assignment: Int) async throws -> (session: Int, goal: Int, pot: Int) {
                try await f.write { s, tx in
                    let session = try s.createSession(
                        SessionDraft(assignmentId: assignment, on: LocalDate(year: 2016, month: 3, day: 1)!, minutes: 60, topics: [.other]),
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                    let goal = try s.createGoal(
                        GoalDraft(cooperativeId: f.cooperatives[index], title: "Mål"),
                        today: F.start,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                    let pot = try s.createPot(
                        FundingPotDraft(
                            cooperativeId: f.cooperatives[index],
                            purpose: "Pott",
                            amount: 1000,
                            sharePercent: 10,
                            from: F.start,
                            to: LocalDate(year: 2016, month: 12, day: 31)!
                        ),
                        today: F.start,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                    return (session.id, goal.id, pot.id)
                }
            }
            let inside = try await records(0, assignment: past.id)
            let outside = try await records(1, assignment: other.id)
            _ = try await f.write { s, tx in
                try s.changeState(
                    ofAssignment: past.id,
                    AssignmentStateChange(state: .ended, on: LocalDate(year: 2016, month: 6, day: 30)),
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            let reach = Reach.provider(f.unit)
            typealias Read = @Sendable (SupervisionStore, DatabaseConnection, (session: Int, goal: Int, pot: Int), Int) throws -> Void
            let reads: [(String, Read)] = [
                ("assignment", { s, db, _, a in _ = try s.assignment(id: a, reach: reach, in: db) }),
                ("session", { s, db, r, _ in _ = try s.session(id: r.session, reach: reach, in: db) }),
                ("goal", { s, db, r, _ in _ = try s.goal(id: r.goal, reach: reach, in: db) }),
                ("pot", { s, db, r, _ in _ = try s.pot(id: r.pot, today: F.start, reach: reach, in: db) }),
                ("spending", { s, db, r, _ in _ = try s.spending(ofPot: r.pot, today: F.start, reach: reach, in: db) }),
            ]
            for (name, read) in reads {
                try await f.read { s, db in try read(s, db, inside, past.id) }
                let error = await #expect(throws: FeatureError.self, "\(name) outside reach") {
                    try await f.read { s, db in try read(s, db, outside, other.id) }
                }
                #expect(error?.code == .notFound, "\(name)")
            }
            let page = try PageRequest(limit: 100)
            let lists = try await f.read { s, db in
                (
                    try s.assignments(matching: AssignmentQuery(), page: page, reach: reach, in: db).items.map(\.cooperativeId),
                    try s.sessions(matching: SessionQuery(), page: page, reach: reach, in: db).items.map(\.cooperativeId),
                    try s.goals(cooperativeId: nil, state: nil, page: page, reach: reach, in: db).items.map(\.cooperativeId),
                    try s.pots(cooperativeId: nil, page: page, today: F.start, reach: reach, in: db).items.map(\.cooperativeId)
                )
            }
            #expect(lists.0 == [f.cooperatives[0]])
            #expect(lists.1 == [f.cooperatives[0]])
            #expect(lists.2 == [f.cooperatives[0]])
            #expect(lists.3 == [f.cooperatives[0]])
            // The past assignment has ended: the supervisor still sees it but writes no session under it.
            let write = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.createSession(
                        SessionDraft(assignmentId: past.id, on: LocalDate(year: 2016, month: 8, day: 1)!, minutes: 60, topics: [.other]),
                        reach: reach,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(write?.code == .conflict)
        }
    }
}
