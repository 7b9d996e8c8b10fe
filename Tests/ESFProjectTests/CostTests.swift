import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import ESFProject

@Suite("ESF costs and payment claims")
struct CostTests {
    typealias F = ESFFixture

    static func cost(
        _ category: CostCategory,
        _ on: String,
        amount: Decimal? = nil,
        hours: Decimal? = nil,
        unit: Decimal? = nil,
        annual: Decimal? = nil
    ) -> CostDraft {
        CostDraft(category: category, on: LocalDate(on)!, amount: amount, hours: hours, unitCost: unit, annualCost: annual, description: "kostnad")
    }

    @Test(
        "staff cost is hours × unit cost (an annual cost over 1 862 hours); indirect costs are 15 % of staff; co-financing is 1 − the EU share (rule 17)"
    )
    func arithmetic() async throws {
        try await F.with { f async throws in
            let rules = CostRules()
            #expect(rules.hoursPerMonth == Decimal(string: "155.16"))
            #expect(rules.unitCost(annualCost: 620_000) == Decimal(string: "332.98"))
            let staff = try await f.write { s, tx in
                try s.bookCost(Self.cost(.staff, "2015-10-31", hours: 155.16, annual: 620_000), project: f.project, actor: F.actor, in: tx)
            }
            #expect(staff.unitCost == Decimal(string: "332.98"))
            #expect(staff.amount == Decimal(string: "51665.18"))
            _ = try await f.write { s, tx in
                try s.bookCost(Self.cost(.staff, "2015-11-30", hours: 100, unit: 300), project: f.project, actor: F.actor, in: tx)
            }
            _ = try await f.write { s, tx in
                try s.bookCost(Self.cost(.travelAndLodging, "2015-11-10", amount: 1_234.50), project: f.project, actor: F.actor, in: tx)
            }
            _ = try await f.write { s, tx in
                try s.bookCost(Self.cost(.revenue, "2015-12-01", amount: 1_000), project: f.project, actor: F.actor, in: tx)
            }
            let claim = try await f.write { s, tx in
                try s.createClaim(
                    ClaimDraft(from: F.start, to: LocalDate(year: 2015, month: 12, day: 31)!),
                    project: f.project,
                    actor: F.actor,
                    in: tx
                )
            }
            let totals = claim.totals
            #expect(totals.byCategory["staff"] == Decimal(string: "81665.18"))
            #expect(totals.byCategory["indirectCosts"] == Decimal(string: "12249.78"))
            // 81 665.18 + 12 249.78 + 1 234.50 − 1 000 = 94 149.46; half each.
            #expect(totals.eligible == Decimal(string: "94149.46"))
            #expect(totals.euAmount == Decimal(string: "47074.73"))
            #expect(totals.coFinancing == Decimal(string: "47074.73"))
        }
    }

    @Test("bad costs name the field: indirect costs booked by hand, three decimals, negative, staff without hours, outside the project")
    func badCosts() async throws {
        try await F.with { f async throws in
            let cases: [(CostDraft, String)] = [
                (Self.cost(.indirectCosts, "2015-11-01", amount: 100), "/category"),
                (Self.cost(.travelAndLodging, "2015-11-01", amount: Decimal(string: "10.005")!), "/amount"),
                (Self.cost(.externalServices, "2015-11-01", amount: -5), "/amount"),
                (Self.cost(.staff, "2015-11-01", amount: 100), "/hours"),
                (Self.cost(.staff, "2015-11-01", hours: 10), "/unitCost"),
                (Self.cost(.travelAndLodging, "2018-10-01", amount: 10), "/on"),
            ]
            for (draft, field) in cases {
                let error = await #expect(throws: FeatureError.self) {
                    try await f.write { s, tx in try s.bookCost(draft, project: f.project, actor: F.actor, in: tx) }
                }
                #expect(error?.field == field, "\(draft.category) \(field)")
            }
            #expect(try await f.count("costs") == 0)
        }
    }

    @Test("a claim moves draft → submitted → paid; submitting freezes its totals and closes its period to new costs")
    func claimLifecycle() async throws {
        try await F.with { f async throws in
            _ = try await f.write { s, tx in
                try s.bookCost(Self.cost(.externalServices, "2015-11-15", amount: 10_000), project: f.project, actor: F.actor, in: tx)
            }
            let claim = try await f.write { s, tx in
                try s.createClaim(
                    ClaimDraft(from: F.start, to: LocalDate(year: 2015, month: 12, day: 31)!),
                    project: f.project,
                    actor: F.actor,
                    in: tx
                )
            }
            let overlapping = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.createClaim(
                        ClaimDraft(from: LocalDate(year: 2015, month: 12, day: 1)!, to: LocalDate(year: 2016, month: 3, day: 31)!),
                        project: f.project,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(overlapping?.code == .conflict)
            let paidEarly = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.changeState(
                        ofClaim: claim.id,
                        ClaimStateChange(state: .paid, on: F.today, paidAmount: 1),
                        today: F.today,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(paidEarly?.field == "/state")
            let inPeriod = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.changeState(
                        ofClaim: claim.id,
                        ClaimStateChange(state: .submitted, on: LocalDate(year: 2015, month: 12, day: 31)!),
                        today: F.today,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(inPeriod?.field == "/on")
            let submitted = try await f.write { s, tx in
                try s.changeState(
                    ofClaim: claim.id,
                    ClaimStateChange(state: .submitted, on: LocalDate(year: 2016, month: 2, day: 10)!),
                    today: F.today,
                    actor: F.actor,
                    in: tx
                )
            }
            #expect(submitted.totals.euAmount == 5_000)
            let closed = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.bookCost(Self.cost(.externalServices, "2015-12-01", amount: 500), project: f.project, actor: F.actor, in: tx)
                }
            }
            #expect(closed?.code == .conflict)
            #expect(closed?.field == "/on")
            // After the period the claim's totals stay those it was submitted with.
            _ = try await f.write { s, tx in
                try s.bookCost(Self.cost(.externalServices, "2016-01-05", amount: 500), project: f.project, actor: F.actor, in: tx)
            }
            #expect(try await f.read { s, db in try s.claim(id: claim.id, in: db) }.totals.eligible == 10_000)
            let tooMuch = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.changeState(
                        ofClaim: claim.id,
                        ClaimStateChange(state: .paid, on: LocalDate(year: 2016, month: 4, day: 1)!, paidAmount: 5_000.01),
                        today: F.today,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(tooMuch?.field == "/paidAmount")
            let paid = try await f.write { s, tx in
                try s.changeState(
                    ofClaim: claim.id,
                    ClaimStateChange(state: .paid, on: LocalDate(year: 2016, month: 4, day: 1)!, paidAmount: 5_000),
                    today: F.today,
                    actor: F.actor,
                    in: tx
                )
            }
            #expect(paid.state == .paid)
            let again = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.changeState(ofClaim: claim.id, ClaimStateChange(state: .submitted, on: F.today), today: F.today, actor: F.actor, in: tx)
                }
            }
            #expect(again?.code == .conflict)
        }
    }
}
