import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry
import Testing

@testable import Supervision

@Suite("Assignments")
struct AssignmentTests {
    typealias F = SupervisionFixture

    @Test("an active assignment is recorded, audited, published and lets the provider's users see the cooperative")
    func create() async throws {
        try await F.with { f async throws in
            let assignment = try await f.write { s, tx in try s.createAssignment(f.draft(0), reach: .everything, actor: F.actor, in: tx) }
            #expect(assignment.state == .active)
            #expect(assignment.sharePercent == 20)
            #expect(assignment.targetHoursPerMonth == 8)
            let audit = try await f.database.query("SELECT action FROM kernel.audit_log WHERE feature = 'supervision' AND entity = 'assignment'")
            #expect(try audit.map { try $0.decode("action", as: String.self) } == ["create"])
            let events = try await f.database.query("SELECT name FROM kernel.outbox WHERE feature = 'supervision'")
            #expect(try events.map { try $0.decode("name", as: String.self) } == ["supervision.assignmentStarted"])
            let seen = try await f.registry.database.withConnection { db in
                try f.registry.organisation(id: f.cooperatives[0], reach: .provider(f.unit), in: db)
            }
            #expect(seen.id == f.cooperatives[0])
        }
    }

    @Test("a proposed assignment grants nothing until it becomes active")
    func proposedThenActive() async throws {
        try await F.with { f async throws in
            let proposed = try await f.write { s, tx in
                try s.createAssignment(f.draft(0, state: .proposed), reach: .everything, actor: F.actor, in: tx)
            }
            #expect(proposed.state == .proposed)
            #expect(try await f.database.query("SELECT 1 FROM registry.scope_grants").count == 0)
            let active = try await f.write { s, tx in
                try s.changeState(
                    ofAssignment: proposed.id,
                    AssignmentStateChange(state: .active),
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            #expect(active.state == .active)
            #expect(try await f.database.query("SELECT 1 FROM registry.scope_grants").count == 1)
        }
    }

    /// A value that breaks a rule, and the field that must be named.
    enum Bad: String, CaseIterable, Sendable {
        case shareZero, shareOver100, endBeforeStart, blankFunding, reviewBeforeStart, notACooperative, unknownCooperative,
            supervisorOfAnotherProvider, newAndEnded

        func apply(to draft: inout AssignmentDraft, _ f: SupervisionFixture) -> String {
            switch self {
            case .shareZero:
                draft.sharePercent = 0
                return "/sharePercent"
            case .shareOver100:
                draft.sharePercent = 100.5
                return "/sharePercent"
            case .endBeforeStart:
                draft.to = LocalDate(year: 2015, month: 12, day: 31)
                return "/to"
            case .blankFunding:
                draft.fundingSource = "  "
                return "/fundingSource"
            case .reviewBeforeStart:
                draft.reviewOn = LocalDate(year: 2015, month: 1, day: 1)
                return "/reviewOn"
            case .notACooperative:
                draft.cooperativeId = f.umbrella
                return "/cooperativeId"
            case .unknownCooperative:
                draft.cooperativeId = 999_999
                return "/cooperativeId"
            case .supervisorOfAnotherProvider:
                draft.supervisorId = f.umbrellaSupervisor
                return "/supervisorId"
            case .newAndEnded:
                draft.state = .ended
                return "/state"
            }
        }
    }

    @Test("bad input is refused naming the field, and nothing is stored", arguments: Bad.allCases)
    func badInput(_ bad: Bad) async throws {
        try await F.with { f async throws in
            var draft = f.draft(0)
            let field = bad.apply(to: &draft, f)
            let invalid = draft
            let error = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in try s.createAssignment(invalid, reach: .everything, actor: F.actor, in: tx) }
            }
            #expect(error?.code == .invalidInput)
            #expect(error?.field == field)
            #expect(try await f.count("assignments") == 0)
        }
    }

    @Test("a cooperative has at most one assignment in force per provider; another provider is fine")
    func oneInForcePerProvider() async throws {
        try await F.with { f async throws in
            _ = try await f.write { s, tx in try s.createAssignment(f.draft(0), reach: .everything, actor: F.actor, in: tx) }
            let error = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in try s.createAssignment(f.draft(0), reach: .everything, actor: F.actor, in: tx) }
            }
            #expect(error?.code == .conflict)
            #expect(error?.field == "/providerId")
            let other = try await f.write { s, tx in
                try s.createAssignment(f.draft(0, provider: f.umbrella, supervisor: f.umbrellaSupervisor), reach: .everything, actor: F.actor, in: tx)
            }
            #expect(other.providerId == f.umbrella)
            #expect(try await f.count("assignments") == 2)
        }
    }

    @Test("the state machine allows proposed → active → underReview → renewed → ended and nothing else")
    func stateMachine() async throws {
        try await F.with { f async throws in
            let a = try await f.write { s, tx in try s.createAssignment(f.draft(0, state: .proposed), reach: .everything, actor: F.actor, in: tx) }
            func change(_ state: AssignmentState, on: LocalDate? = nil, to: LocalDate? = nil, review: LocalDate? = nil) async throws -> Assignment {
                try await f.write { s, tx in
                    try s.changeState(
                        ofAssignment: a.id,
                        AssignmentStateChange(state: state, on: on, reason: "test", to: to, reviewOn: review),
                        today: LocalDate(year: 2017, month: 6, day: 30)!,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            let forbidden = await #expect(throws: FeatureError.self) { try await change(.renewed) }
            #expect(forbidden?.code == .conflict)
            #expect(forbidden?.field == "/state")
            #expect(try await change(.active).state == .active)
            #expect(try await change(.underReview).state == .underReview)
            let renewed = try await change(.renewed, to: LocalDate(year: 2018, month: 12, day: 31), review: LocalDate(year: 2018, month: 6, day: 1))
            #expect(renewed.to == LocalDate(year: 2018, month: 12, day: 31))
            #expect(renewed.reviewOn == LocalDate(year: 2018, month: 6, day: 1))
            let ended = try await change(.ended)
            #expect(ended.state == .ended)
            #expect(ended.endedOn == LocalDate(year: 2017, month: 6, day: 30))
            #expect(ended.to == LocalDate(year: 2017, month: 6, day: 30))
            #expect(ended.endReason == "test")
            let afterEnd = await #expect(throws: FeatureError.self) { try await change(.active) }
            #expect(afterEnd?.code == .conflict)
            let names = try await f.database.query("SELECT name FROM kernel.outbox WHERE feature = 'supervision' ORDER BY id")
            #expect(try names.map { try $0.decode("name", as: String.self) } == ["supervision.assignmentStarted", "supervision.assignmentEnded"])
        }
    }

    @Test("an end before the start is refused, and the assignment stays in force")
    func endBeforeStart() async throws {
        try await F.with { f async throws in
            let a = try await f.write { s, tx in try s.createAssignment(f.draft(0), reach: .everything, actor: F.actor, in: tx) }
            let error = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.changeState(
                        ofAssignment: a.id,
                        AssignmentStateChange(state: .ended, on: LocalDate(year: 2015, month: 1, day: 1)),
                        today: F.start,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(error?.field == "/on")
            #expect(try await f.read { s, db in try s.assignment(id: a.id, reach: .everything, in: db) }.state == .active)
        }
    }

    @Test("a wound-up cooperative's assignments end on the day it was wound up, once")
    func woundUp() async throws {
        try await F.with { f async throws in
            let a = try await f.write { s, tx in try s.createAssignment(f.draft(1), reach: .everything, actor: F.actor, in: tx) }
            let day = LocalDate(year: 2016, month: 9, day: 30)!
            for _ in 0..<2 {
                _ = try await f.write { s, tx in try s.organisationWoundUp(f.cooperatives[1], on: day, reason: "konkurs", in: tx) }
            }
            let ended = try await f.read { s, db in try s.assignment(id: a.id, reach: .everything, in: db) }
            #expect(ended.state == .ended)
            #expect(ended.endedOn == day)
            #expect(ended.endReason?.contains("konkurs") == true)
            #expect(try await f.database.query("SELECT 1 FROM kernel.outbox WHERE name = 'supervision.assignmentEnded'").count == 1)
        }
    }

    @Test(
        "the supervisor must be the provider's supervisor on every day: a start, an open end or a renewal past the role is refused, naming the days"
    )
    func supervisorEveryDay() async throws {
        try await F.with { f async throws in
            // Örjan is the umbrella's supervisor from 2016-01-01 only.
            let early = f.draft(0, provider: f.umbrella, from: LocalDate(year: 2015, month: 4, day: 1)!)
            let before = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in try s.createAssignment(early, reach: .everything, actor: F.actor, in: tx) }
            }
            #expect(before?.code == .invalidInput)
            #expect(before?.field == "/supervisorId")
            #expect(before?.message.contains("2015-04-01–2015-12-31") == true, "\(String(describing: before?.message))")
            // Someone who supervises for the umbrella in the first half of 2016 only.
            let stranger = f.stranger
            _ = try await f.write { s, tx in
                try s.registry.addRole(
                    RoleDraft(
                        personId: stranger,
                        organisationId: f.umbrella,
                        role: .supervisor,
                        from: F.start,
                        to: LocalDate(year: 2016, month: 6, day: 30)
                    ),
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            let open = f.draft(1, provider: f.umbrella, supervisor: stranger)
            let openError = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in try s.createAssignment(open, reach: .everything, actor: F.actor, in: tx) }
            }
            #expect(openError?.message.contains("2016-07-01–;") == true, "\(String(describing: openError?.message))")
            var half = open
            half.to = LocalDate(year: 2016, month: 6, day: 30)
            let a = try await f.write { [half] s, tx in try s.createAssignment(half, reach: .everything, actor: F.actor, in: tx) }
            func change(_ state: AssignmentState, to: LocalDate? = nil) async throws -> Assignment {
                try await f.write { s, tx in
                    try s.changeState(
                        ofAssignment: a.id,
                        AssignmentStateChange(state: state, to: to),
                        today: F.start,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            _ = try await change(.underReview)
            let renewal = await #expect(throws: FeatureError.self) { try await change(.renewed, to: LocalDate(year: 2016, month: 12, day: 31)) }
            #expect(renewal?.field == "/to")
            #expect(renewal?.message.contains("2016-07-01–2016-12-31") == true)
            #expect(try await change(.renewed, to: LocalDate(year: 2016, month: 5, day: 31)).to == LocalDate(year: 2016, month: 5, day: 31))
        }
    }

    @Test("the days of a period no role covers")
    func gaps() {
        func day(_ text: String) -> LocalDate { LocalDate(text)! }
        let period = DaySpan(first: day("2015-01-01"), last: day("2015-12-31"))
        #expect(DaySpan.gaps(in: period, coveredBy: [DaySpan(first: day("2014-01-01"), last: nil)]).isEmpty)
        let roles = [DaySpan(first: day("2015-03-01"), last: day("2015-05-31")), DaySpan(first: day("2015-05-01"), last: day("2015-10-31"))]
        #expect(
            DaySpan.gaps(in: period, coveredBy: roles).map(\.text) == ["2015-01-01–2015-02-28", "2015-11-01–2015-12-31"]
        )
        #expect(
            DaySpan.gaps(in: DaySpan(first: day("2015-01-01"), last: nil), coveredBy: roles).map(\.text) == ["2015-01-01–2015-02-28", "2015-11-01–"]
        )
        #expect(DaySpan.gaps(in: period, coveredBy: []).map(\.text) == ["2015-01-01–2015-12-31"])
    }

    @Test("case numbers of assignments and pots are stored, shown and found by any part, letter case and spacing ignored")
    func caseNumbers() async throws {
        try await F.with { f async throws in
            var first = f.draft(0)
            first.caseNumber = "SN 2016/12"
            var second = f.draft(1)
            second.caseNumber = "SN 2016/345"
            for draft in [first, second, f.draft(2)] {
                _ = try await f.write { s, tx in try s.createAssignment(draft, reach: .everything, actor: F.actor, in: tx) }
            }
            func found(_ text: String) async throws -> [String?] {
                try await f.read { s, db in
                    try s.assignments(matching: AssignmentQuery(caseNumber: text), page: try PageRequest(), reach: .everything, in: db).items.map(
                        \.caseNumber
                    )
                }
            }
            #expect(try await found("sn 2016") == ["SN 2016/12", "SN 2016/345"])
            #expect(try await found("2016/12") == ["SN 2016/12"])
            #expect(try await found("sn   2016/345") == ["SN 2016/345"])
            #expect(try await found("%") == [])
            var pot = PotTests.draft(f)
            pot.caseNumber = "KS 2016/7"
            _ = try await f.write { [pot] s, tx in try s.createPot(pot, today: F.start, reach: .everything, actor: F.actor, in: tx) }
            let pots = try await f.read { s, db in
                try s.pots(cooperativeId: nil, caseNumber: "ks 2016", page: try PageRequest(), today: F.start, reach: .everything, in: db).items
            }
            #expect(pots.map(\.caseNumber) == ["KS 2016/7"])
            let audit = try await f.database.query("SELECT after::text AS c FROM kernel.audit_log WHERE entity = 'pot'").single().decode(
                "c",
                as: String.self
            )
            #expect(audit.contains("KS 2016/7"))
        }
    }
}
