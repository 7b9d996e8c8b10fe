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
            // Once the assignment has ended, no session is written under it (the officer is told
            // why), and the unit's supervisor no longer reaches it at all (a reference out of reach
            // in a body is refused as one that does not exist).
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
            for (who, expected) in [(Reach.everything, FeatureError.Code.conflict), (reach, .invalidInput)] {
                let write = await #expect(throws: FeatureError.self) {
                    try await f.write { s, tx in
                        try s.createSession(
                            SessionDraft(assignmentId: past.id, on: LocalDate(year: 2016, month: 8, day: 1)!, minutes: 60, topics: [.other]),
                            reach: who,
                            actor: F.actor,
                            in: tx
                        )
                    }
                }
                #expect(write?.code == expected)
            }
        }
    }

    @Test(
        "reach follows the assignments in force today: after Café Gläntan's assignment ended, the umbrella's supervisor gets 404 for it, its new member and its new sessions, unless within the grace days"
    )
    func reachEnds() async throws {
        try await F.with { f async throws in
            let cafe = f.cooperatives[1]
            let today = LocalDate.today()
            let umbrella = try await f.write { s, tx in
                try s.createAssignment(f.draft(1, provider: f.umbrella, supervisor: f.umbrellaSupervisor), reach: .everything, actor: F.actor, in: tx)
            }
            let ended = today.adding(days: -10)
            _ = try await f.write { s, tx in try s.end(umbrella, on: ended, reason: "Eget handledarstöd", actor: F.actor, in: tx) }
            // After the end: the unit takes over, holds a session, and a new member joins.
            let (session, member) = try await f.write { s, tx in
                let unit = try s.createAssignment(f.draft(1, from: ended.adding(days: 1)), reach: .everything, actor: F.actor, in: tx)
                let session = try s.createSession(
                    SessionDraft(assignmentId: unit.id, on: ended.adding(days: 2), minutes: 90, topics: [.other]),
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
                let member = try s.registry.createPerson(
                    PersonDraft(name: "Ny medlem", roles: [RoleAssignment(organisationId: cafe, role: .cooperator, from: ended.adding(days: 3))]),
                    today: today,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
                return (session.id, member.id)
            }
            func reads(_ reach: Reach) async -> [FeatureError.Code?] {
                var codes: [FeatureError.Code?] = []
                for read: @Sendable (SupervisionStore, DatabaseConnection) throws -> Void in [
                    { s, db in _ = try s.registry.organisation(id: cafe, reach: reach, in: db) },
                    { s, db in _ = try s.registry.person(id: member, reach: reach, in: db) },
                    { s, db in _ = try s.session(id: session, reach: reach, in: db) },
                    { s, db in _ = try s.assignment(id: umbrella.id, reach: reach, in: db) },
                ] {
                    do {
                        try await f.read { s, db in try read(s, db) }
                        codes.append(nil)
                    } catch let error as FeatureError {
                        codes.append(error.code)
                    } catch {
                        codes.append(.conflict)
                    }
                }
                return codes
            }
            #expect(await reads(.provider(f.umbrella)) == Array(repeating: .notFound, count: 4))
            #expect(await reads(.provider(f.umbrella, graceDays: 9)) == Array(repeating: .notFound, count: 4))
            #expect(await reads(.provider(f.umbrella, graceDays: 10)) == Array(repeating: nil, count: 4))
            // The unit, whose assignment is in force, reaches all of it.
            #expect(await reads(.provider(f.unit)).prefix(3) == [nil, nil, nil])
        }
    }

    @Test("the daily upkeep dates the grants made before grants had dates, so their reach ends too; once a day")
    func upkeep() async throws {
        try await F.with { f async throws in
            let a = try await f.write { s, tx in try s.createAssignment(f.draft(2), reach: .everything, actor: F.actor, in: tx) }
            _ = try await f.write { s, tx in try s.end(a, on: LocalDate(year: 2016, month: 6, day: 30)!, reason: nil, actor: F.actor, in: tx) }
            // As a database migrated from before: one undated grant per pair, none per assignment.
            _ = try await f.write { _, tx in try tx.execute("DELETE FROM registry.scope_grants") }
            _ = try await f.write { s, tx in
                try s.registry.grantScope(provider: f.unit, organisation: f.cooperatives[2], feature: "supervision", in: tx)
            }
            let reach = Reach.provider(f.unit)
            _ = try await f.read { s, db in try s.assignment(id: a.id, reach: reach, in: db) }
            let day = LocalDate(year: 2026, month: 1, day: 2)!
            #expect(try await f.write { s, tx in try s.upkeepScopes(on: day, in: tx) } == 1)
            #expect(try await f.write { s, tx in try s.upkeepScopes(on: day, in: tx) } == nil)
            let error = await #expect(throws: FeatureError.self) { try await f.read { s, db in try s.assignment(id: a.id, reach: reach, in: db) } }
            #expect(error?.code == .notFound)
        }
    }
}
