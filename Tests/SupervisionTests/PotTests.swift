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

    /// Café Gläntan's pot with five months of salary spent (Feb–Jun 2016).
    static func spentPot(_ f: F) async throws -> FundingPot {
        let start = LocalDate(year: 2016, month: 2, day: 1)!
        let pot = try await f.write { s, tx in try s.createPot(Self.draft(f), today: start, reach: .everything, actor: F.actor, in: tx) }
        for month in 2...6 {
            _ = try await f.write { s, tx in
                try s.spend(
                    Spending(on: LocalDate(year: 2016, month: month, day: 25)!, amount: 30_000, note: "Lön"),
                    fromPot: pot.id,
                    today: start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
        }
        return pot
    }

    func decide(
        _ f: F,
        _ pot: FundingPot,
        _ draft: PotDecisionDraft,
        today: LocalDate = LocalDate(year: 2017, month: 6, day: 1)!
    ) async throws -> PotDecision {
        try await f.write { s, tx in try s.decide(draft, onPot: pot.id, today: today, reach: .everything, actor: F.actor, in: tx) }
    }

    @Test("an extension moves the last day, adds money and plans the next review; the pot as it stood before is still read for an earlier day")
    func extend() async throws {
        try await F.with { f async throws in
            let pot = try await Self.spentPot(f)
            let decided = LocalDate(year: 2017, month: 5, day: 10)!
            let decision = try await decide(
                f,
                pot,
                PotDecisionDraft(
                    outcome: .extend,
                    decidedOn: decided,
                    caseNumber: "SN 2017/123",
                    to: LocalDate(year: 2017, month: 12, day: 31),
                    amountAdded: 150_000,
                    nextReviewOn: LocalDate(year: 2017, month: 11, day: 1)
                )
            )
            #expect(decision.previousTo == LocalDate(year: 2017, month: 7, day: 31)!)
            #expect(decision.to == LocalDate(year: 2017, month: 12, day: 31)!)
            #expect(decision.caseNumber == "SN 2017/123")
            let now = try await f.read { s, db in try s.pot(id: pot.id, today: decided, reach: .everything, in: db) }
            #expect(now.amount == 690_000)
            #expect(now.remaining == 540_000)
            #expect(now.to == LocalDate(year: 2017, month: 12, day: 31)!)
            #expect(now.reviewOn == LocalDate(year: 2017, month: 11, day: 1))
            #expect(now.state == .open)
            let before = try await f.read { s, db in try s.pot(id: pot.id, today: decided.adding(days: -1), reach: .everything, in: db) }
            #expect(before.amount == 540_000)
            #expect(before.to == LocalDate(year: 2017, month: 7, day: 31)!)
            #expect(before.reviewOn == LocalDate(year: 2017, month: 5, day: 1))
            let due = try await f.read { s, db in try s.due(asOf: LocalDate(year: 2017, month: 5, day: 5)!, reach: .everything, in: db) }
            #expect(
                due.contains { $0.kind == .potReview && $0.on == LocalDate(year: 2017, month: 5, day: 1)! },
                "before the decision the review was due"
            )
            let audit = try await f.database.query("SELECT action FROM kernel.audit_log WHERE entity = 'pot' AND action LIKE 'decision%'")
            #expect(try audit.map { try $0.decode("action", as: String.self) } == ["decision.extend"])
        }
    }

    @Test("an end closes the pot on its last day: no spending after it, no further decision; the rest is left")
    func end() async throws {
        try await F.with { f async throws in
            let pot = try await Self.spentPot(f)
            _ = try await decide(
                f,
                pot,
                PotDecisionDraft(
                    outcome: .end,
                    decidedOn: LocalDate(year: 2016, month: 9, day: 15)!,
                    caseNumber: "SN 2016/77",
                    to: LocalDate(year: 2016, month: 9, day: 30)
                )
            )
            let ended = try await f.read { s, db in try s.pot(id: pot.id, today: LocalDate(year: 2017, month: 1, day: 1)!, reach: .everything, in: db)
            }
            #expect(ended.state == .ended)
            #expect(ended.to == LocalDate(year: 2016, month: 9, day: 30)!)
            #expect(ended.reviewOn == nil)
            #expect(ended.remaining == 390_000)
            let late = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.spend(
                        Spending(on: LocalDate(year: 2016, month: 10, day: 25)!, amount: 30_000, note: "Lön"),
                        fromPot: pot.id,
                        today: LocalDate(year: 2016, month: 10, day: 25)!,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(late?.code == .conflict)
            #expect(late?.field == "/on")
            let again = await #expect(throws: FeatureError.self) {
                try await decide(
                    f,
                    pot,
                    PotDecisionDraft(
                        outcome: .extend,
                        decidedOn: LocalDate(year: 2016, month: 10, day: 1)!,
                        to: LocalDate(year: 2018, month: 1, day: 1)
                    )
                )
            }
            #expect(again?.code == .conflict)
        }
    }

    @Test("turned into a grant: what is left becomes the grant from the day decided, and is published")
    func grant() async throws {
        try await F.with { f async throws in
            let pot = try await Self.spentPot(f)
            let decision = try await decide(
                f,
                pot,
                PotDecisionDraft(outcome: .grant, decidedOn: LocalDate(year: 2016, month: 7, day: 1)!, caseNumber: "SN 2016/80")
            )
            #expect(decision.grantAmount == 390_000)
            let after = try await f.read { s, db in try s.pot(id: pot.id, today: LocalDate(year: 2016, month: 7, day: 1)!, reach: .everything, in: db)
            }
            #expect(after.state == .turnedIntoGrant)
            #expect(after.granted == 390_000)
            #expect(after.remaining == 0)
            let payload = try await f.database.query("SELECT payload::text AS p FROM kernel.outbox WHERE name = 'supervision.potTurnedIntoGrant'")
                .single()
                .decode("p", as: String.self)
            #expect(payload.contains("390000") && payload.contains("SN 2016/80"))
            let listed = try await f.read { s, db in try s.decisions(ofPot: pot.id, reach: .everything, in: db) }
            #expect(listed.map(\.outcome) == [.grant])
        }
    }

    @Test(
        "a decision that does not fit is refused naming the field",
        arguments: [
            ("/to", PotDecisionDraft(outcome: .extend, decidedOn: LocalDate(year: 2017, month: 5, day: 1)!)),
            (
                "/to",
                PotDecisionDraft(outcome: .extend, decidedOn: LocalDate(year: 2017, month: 5, day: 1)!, to: LocalDate(year: 2017, month: 6, day: 30))
            ),
            ("/decidedOn", PotDecisionDraft(outcome: .end, decidedOn: LocalDate(year: 2018, month: 1, day: 1)!)),
            ("/decidedOn", PotDecisionDraft(outcome: .end, decidedOn: LocalDate(year: 2016, month: 1, day: 1)!)),
            ("/amountAdded", PotDecisionDraft(outcome: .end, decidedOn: LocalDate(year: 2017, month: 5, day: 1)!, amountAdded: 10)),
            ("/to", PotDecisionDraft(outcome: .end, decidedOn: LocalDate(year: 2016, month: 3, day: 1)!)),
        ]
    )
    func badDecision(_ field: String, _ draft: PotDecisionDraft) async throws {
        try await F.with { f async throws in
            let pot = try await Self.spentPot(f)
            let error = await #expect(throws: FeatureError.self) { try await decide(f, pot, draft) }
            #expect(error?.field == field, "\(String(describing: error?.message))")
            #expect(try await f.count("pot_decisions") == 0)
        }
    }
}
