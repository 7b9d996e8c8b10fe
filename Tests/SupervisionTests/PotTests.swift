import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import Supervision

@Suite("Funding pots")
struct PotTests {
    typealias F = SupervisionFixture

    static func draft(_ f: F) -> FundingPotDraft {
        FundingPotDraft(
            cooperativeId: f.cooperatives[1],
            funderId: f.unit,
            purpose: "Egen handledare 50 % i 18 månader",
            amount: 540_000,
            sharePercent: 50,
            from: LocalDate(year: 2016, month: 2, day: 1)!,
            to: LocalDate(year: 2017, month: 7, day: 31)!,
            reviewOn: LocalDate(year: 2017, month: 5, day: 1)
        )
    }

    @Test("a pot shows what is spent, what is left and the months left; it is never overdrawn")
    func spending() async throws {
        try await F.with { f async throws in
            let start = LocalDate(year: 2016, month: 2, day: 1)!
            let pot = try await f.write { s, tx in try s.createPot(Self.draft(f), today: start, reach: .everything, actor: F.actor, in: tx) }
            #expect(pot.remaining == 540_000)
            #expect(pot.remainingMonths == 18)
            let after = try await f.write { s, tx in
                try s.spend(
                    Spending(on: start, amount: 30_000, note: "Lön februari"),
                    fromPot: pot.id,
                    today: LocalDate(year: 2016, month: 3, day: 1)!,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            #expect(after.spent == 30_000)
            #expect(after.remaining == 510_000)
            #expect(after.remainingMonths == 17)
            let error = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.spend(
                        Spending(on: start, amount: 510_000.01, note: "för mycket"),
                        fromPot: pot.id,
                        today: start,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(error?.code == .conflict)
            #expect(error?.field == "/amount")
            #expect(try await f.count("spending") == 1)
        }
    }

    @Test("months left count a started month whole and end at zero")
    func months() {
        let (from, to) = (LocalDate(year: 2016, month: 2, day: 1)!, LocalDate(year: 2017, month: 7, day: 31)!)
        #expect(FundingPot.months(from: LocalDate(year: 2015, month: 1, day: 1)!, to: to, start: from) == 18)
        #expect(FundingPot.months(from: LocalDate(year: 2016, month: 2, day: 15)!, to: to, start: from) == 18)
        #expect(FundingPot.months(from: LocalDate(year: 2017, month: 7, day: 31)!, to: to, start: from) == 1)
        #expect(FundingPot.months(from: LocalDate(year: 2017, month: 8, day: 1)!, to: to, start: from) == 0)
    }

    @Test("a share outside (0, 100], an end before the start, a non-cooperative: refused naming the field")
    func badInput() async throws {
        try await F.with { f async throws in
            var share = Self.draft(f)
            share.sharePercent = 0
            var period = Self.draft(f)
            period.to = LocalDate(year: 2016, month: 1, day: 1)!
            var kind = Self.draft(f)
            kind.cooperativeId = f.unit
            for (field, draft) in [("/sharePercent", share), ("/to", period), ("/cooperativeId", kind)] {
                let error = await #expect(throws: FeatureError.self) {
                    try await f.write { s, tx in try s.createPot(draft, today: F.start, reach: .everything, actor: F.actor, in: tx) }
                }
                #expect(error?.field == field)
            }
            #expect(try await f.count("funding_pots") == 0)
        }
    }
}
