import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import ESFProject

/// Rules 17 and 18: staff hours per staff member and month with the month's ceiling, the unit
/// cost derived from them; in-kind co-financing by source, never an eligible cost.
@Suite("ESF staff time reports and co-financing in kind")
struct StaffTimeTests {
    typealias F = ESFFixture

    static func report(_ f: F, _ person: Int, _ month: String, hours: Decimal, share: Decimal, annual: Decimal) async throws -> TimeReport {
        try await f.write { s, tx in
            try s.reportStaffHours(
                TimeReportDraft(personId: person, month: month, hours: hours, employmentPercent: share, annualCost: annual),
                project: f.project,
                reach: .everything,
                actor: F.actor,
                in: tx
            )
        }
    }

    @Test(
        "a month above 155.16 hours at full time, or its share at part time, is refused at /hours with the figure; the unit cost comes from the report"
    )
    func ceiling() async throws {
        try await F.with { f async throws in
            let manager = try await f.person("Eva Lund", born: "1970-01-15")
            let coach = try await f.person("Omar Said", born: "1985-06-20", gender: .male)
            let over = await #expect(throws: FeatureError.self) {
                try await Self.report(f, manager, "2015-10", hours: Decimal(string: "155.17")!, share: 100, annual: 620_000)
            }
            #expect(over?.code == .invalidInput)
            #expect(over?.field == "/hours")
            #expect(over?.message.contains("155.16") == true)
            let half = await #expect(throws: FeatureError.self) {
                try await Self.report(f, coach, "2015-10", hours: Decimal(string: "77.59")!, share: 50, annual: 250_000)
            }
            #expect(half?.field == "/hours")
            #expect(half?.message.contains("77.58") == true)

            let full = try await Self.report(f, manager, "2015-10", hours: Decimal(string: "155.16")!, share: 100, annual: 620_000)
            #expect(full.unitCost == Decimal(string: "332.98"))
            #expect(full.amount == Decimal(string: "51665.18"))
            // 250 000 a year at half time is 931 hours: 268.53 an hour.
            let part = try await Self.report(f, coach, "2015-10", hours: Decimal(string: "77.58")!, share: 50, annual: 250_000)
            #expect(part.unitCost == Decimal(string: "268.53"))
            #expect(part.amount == Decimal(string: "20832.56"))
            let twice = await #expect(throws: FeatureError.self) {
                try await Self.report(f, coach, "2015-10", hours: 10, share: 50, annual: 250_000)
            }
            #expect(twice?.code == .conflict)
            #expect(twice?.field == "/month")
            let costs = try await f.read { s, db in try s.costs(ofProject: f.project, from: nil, to: nil, in: db) }
            #expect(costs.map(\.category) == [.staff, .staff])
            #expect(costs.allSatisfy { $0.on == LocalDate("2015-10-31") })
            let reports = try await f.read { s, db in try s.timeReports(ofProject: f.project, in: db) }
            #expect(reports.map(\.personId) == [manager, coach])
            #expect(try await f.count("time_reports") == 2)
        }
    }

    @Test("in-kind co-financing names its source and is not in a claim's eligible total; it is listed by source")
    func inKind() async throws {
        try await F.with { f async throws in
            func book(_ category: CostCategory, _ amount: Decimal, source: CoFinancingSource?) async throws -> CostEntry {
                try await f.write { s, tx in
                    try s.bookCost(
                        CostDraft(category: category, on: LocalDate("2015-11-15")!, amount: amount, source: source, description: "bidrag"),
                        project: f.project,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            let unnamed = await #expect(throws: FeatureError.self) { try await book(.financing, 10_000, source: nil) }
            #expect(unnamed?.field == "/source")
            let misplaced = await #expect(throws: FeatureError.self) { try await book(.externalServices, 10_000, source: .private) }
            #expect(misplaced?.field == "/source")
            #expect(try await book(.financing, 10_000, source: .municipality).source == .municipality)
            _ = try await book(.financing, 5_000, source: .private)
            _ = try await book(.externalServices, 20_000, source: nil)
            let claim = try await f.write { s, tx in
                try s.createClaim(ClaimDraft(from: F.start, to: LocalDate("2015-12-31")!), project: f.project, actor: F.actor, in: tx)
            }
            #expect(claim.totals.byCategory["financing"] == 15_000)
            #expect(claim.totals.eligible == 20_000, "in kind is co-financing, not an eligible cost")
            #expect(claim.totals.euAmount == 10_000)
            #expect(claim.totals.inKindBySource == ["municipality": 10_000, "otherPublicBody": 0, "private": 5_000])
        }
    }
}
