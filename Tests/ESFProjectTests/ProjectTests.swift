import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import ESFProject

@Suite("ESF projects")
struct ProjectTests {
    typealias F = ESFFixture

    @Test("a project moves applied → granted → running → closing → closed, one step at a time; anything else is 409 on /state")
    func lifecycle() async throws {
        try await F.with { f async throws in
            let project = try await f.write { s, tx in
                try s.createProject(F.draft(owner: f.owner, caseNumber: "2016/00001"), reach: .everything, actor: F.actor, in: tx)
            }
            #expect(project.state == .applied)
            #expect(project.euSharePercent == 50)
            #expect(project.indicatorSet == "2014-2020")
            for (from, forbidden) in [(ProjectState.applied, ProjectState.running), (.granted, .closed), (.running, .applied), (.closing, .granted)] {
                let error = await #expect(throws: FeatureError.self) {
                    try await f.write { s, tx in try s.changeState(ofProject: project.id, to: forbidden, actor: F.actor, in: tx) }
                }
                #expect(error?.code == .conflict, "\(from) → \(forbidden)")
                #expect(error?.field == "/state")
                let next = from.next!
                let moved = try await f.write { s, tx in try s.changeState(ofProject: project.id, to: next, actor: F.actor, in: tx) }
                #expect(moved.state == next)
            }
            let closed = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in try s.changeState(ofProject: project.id, to: .running, actor: F.actor, in: tx) }
            }
            #expect(closed?.message.contains("not at all") == true)
            let audited = try await f.database.query(
                "SELECT count(*) AS n FROM kernel.audit_log WHERE feature = 'esf' AND entity = 'project' AND entity_id = \(String(project.id))"
            ).single().decode("n", as: Int.self)
            #expect(audited == 5)
        }
    }

    @Test(
        "bad projects are refused naming the field, and nothing is stored",
        arguments: [
            "/to", "/euSharePercent", "/indicatorSet", "/jobsTargetOn", "/jobsTarget", "/caseNumber", "/budget/1/category", "/budget/0/amount",
        ]
    )
    func badProjects(field: String) async throws {
        try await F.with { f async throws in
            var d = F.draft(owner: f.owner, caseNumber: "2016/00002")
            switch field {
            case "/to": d.to = LocalDate(year: 2015, month: 9, day: 1)!
            case "/euSharePercent": d.euSharePercent = 120
            case "/indicatorSet": d.indicatorSet = "1994-1999"
            case "/jobsTargetOn": d.jobsTargetOn = nil
            case "/jobsTarget": d.jobsTarget = 0
            case "/caseNumber": d.caseNumber = "  "
            case "/budget/1/category": d.budget = [.init(category: .staff, amount: 1), .init(category: .staff, amount: 2)]
            default: d.budget = [.init(category: .travelAndLodging, amount: Decimal(string: "10.005")!)]
            }
            let error = await #expect(throws: FeatureError.self) {
                try await f.write { [d] s, tx in try s.createProject(d, reach: .everything, actor: F.actor, in: tx) }
            }
            #expect(error?.field == field)
            #expect(try await f.count("projects") == 1)
        }
    }

    @Test("a case number is recorded once: the second is 409")
    func duplicateCaseNumber() async throws {
        try await F.with { f async throws in
            let error = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in try s.createProject(F.draft(owner: f.owner), reach: .everything, actor: F.actor, in: tx) }
            }
            #expect(error?.code == .conflict)
            #expect(error?.field == "/caseNumber")
        }
    }
}
