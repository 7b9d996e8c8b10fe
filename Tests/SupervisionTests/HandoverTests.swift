import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry
import Testing

@testable import Supervision

@Suite("Handover")
struct HandoverTests {
    typealias F = SupervisionFixture
    static let day = LocalDate(year: 2016, month: 4, day: 1)!

    func assignAll(_ f: F) async throws {
        for index in f.cooperatives.indices {
            _ = try await f.write { s, tx in try s.createAssignment(f.draft(index), reach: .everything, actor: F.actor, in: tx) }
        }
    }

    @Test("every assignment in force moves: the old ones end the day before, new active ones open, one handover is recorded and published")
    func movesEverything() async throws {
        try await F.with { f async throws in
            try await assignAll(f)
            let summary = try await f.write { s, tx in
                try s.handover(HandoverRequest(fromProviderId: f.unit, toProviderId: f.umbrella, on: Self.day), actor: F.actor, in: tx)
            }
            #expect(summary.moved.count == 3)
            #expect(summary.id != nil)
            #expect(Set(summary.moved.map(\.cooperativeId)) == Set(f.cooperatives))
            let all = try await f.read { s, db in
                try s.assignments(matching: AssignmentQuery(), page: try PageRequest(limit: 50), reach: .everything, in: db)
            }.items
            let old = all.filter { $0.providerId == f.unit }
            let new = all.filter { $0.providerId == f.umbrella }
            #expect(old.allSatisfy { $0.state == .ended && $0.to == Self.day.adding(days: -1) })
            #expect(new.count == 3)
            #expect(new.allSatisfy { $0.state == .active && $0.from == Self.day && $0.sharePercent == 20 && $0.handedOverFrom != nil })
            let events = try await f.database.query("SELECT name, count(*) AS n FROM kernel.outbox GROUP BY name ORDER BY name")
            let counts = Dictionary(
                uniqueKeysWithValues: try events.map { (try $0.decode("name", as: String.self), try $0.decode("n", as: Int.self)) }
            )
            #expect(counts["supervision.handoverCompleted"] == 1)
            #expect(counts["supervision.assignmentEnded"] == 3)
            #expect(counts["supervision.assignmentStarted"] == 6)
            #expect(try await f.count("handovers") == 1)
        }
    }

    @Test("a preview says what would move and changes nothing")
    func preview() async throws {
        try await F.with { f async throws in
            try await assignAll(f)
            let summary = try await f.write { s, tx in
                try s.handover(HandoverRequest(fromProviderId: f.unit, toProviderId: f.umbrella, on: Self.day, preview: true), actor: F.actor, in: tx)
            }
            #expect(summary.preview)
            #expect(summary.moved.count == 3)
            #expect(summary.moved.allSatisfy { $0.newAssignmentId == nil })
            #expect(try await f.count("assignments") == 3)
            #expect(try await f.count("handovers") == 0)
        }
    }

    @Test("a failure half-way leaves nothing moved: the third cooperative already has an assignment with the new provider")
    func allOrNothing() async throws {
        try await F.with { f async throws in
            try await assignAll(f)
            _ = try await f.write { s, tx in
                try s.createAssignment(f.draft(2, provider: f.umbrella, supervisor: f.umbrellaSupervisor), reach: .everything, actor: F.actor, in: tx)
            }
            let before = try await f.count("assignments")
            let audited = try await f.database.query("SELECT count(*) AS n FROM kernel.audit_log").single().decode("n", as: Int.self)
            let error = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.handover(HandoverRequest(fromProviderId: f.unit, toProviderId: f.umbrella, on: Self.day), actor: F.actor, in: tx)
                }
            }
            #expect(error?.code == .conflict)
            #expect(error?.field == "/toProviderId")
            #expect(try await f.count("assignments") == before)
            #expect(try await f.database.query("SELECT 1 FROM supervision.assignments WHERE provider_id = \(f.unit) AND state = 'active'").count == 3)
            #expect(try await f.count("handovers") == 0)
            #expect(try await f.database.query("SELECT count(*) AS n FROM kernel.audit_log").single().decode("n", as: Int.self) == audited)
        }
    }

    @Test("a supervisor the new provider does not have is refused, naming the field, and nothing moves")
    func supervisorOfNewProvider() async throws {
        try await F.with { f async throws in
            try await assignAll(f)
            let error = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.handover(
                        HandoverRequest(fromProviderId: f.unit, toProviderId: f.umbrella, on: Self.day, supervisorId: f.members[0]),
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(error?.field == "/supervisorId")
            #expect(try await f.count("assignments") == 3)
        }
    }

    @Test("a handover to the same provider, or with nothing to move, is refused")
    func refused() async throws {
        try await F.with { f async throws in
            let same = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.handover(HandoverRequest(fromProviderId: f.unit, toProviderId: f.unit, on: Self.day), actor: F.actor, in: tx)
                }
            }
            #expect(same?.code == .invalidInput)
            #expect(same?.field == "/toProviderId")
            let nothing = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.handover(HandoverRequest(fromProviderId: f.unit, toProviderId: f.umbrella, on: Self.day), actor: F.actor, in: tx)
                }
            }
            #expect(nothing?.code == .conflict)
            #expect(nothing?.field == "/fromProviderId")
        }
    }
}
