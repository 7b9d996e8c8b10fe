import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import PartnershipAgreements

@Suite("Grants: decisions, payments, reports, repayment claims (rule 20)")
struct GrantTests {
    typealias F = PartnershipFixture

    /// A grant of 100 000 to the umbrella association for 2016, decided on 2016-02-01.
    static func granted(_ f: F, reportDueOn: LocalDate? = nil) async throws -> Agreement {
        let grant = try await f.create(f.draft(.associationGrant))
        try await f.change(grant.id, AgreementStateChange(state: .inReview))
        return try await f.change(
            grant.id,
            AgreementStateChange(
                state: .granted,
                on: LocalDate(year: 2016, month: 2, day: 1),
                grantedAmount: 100_000,
                conditions: "Redovisning per kvartal",
                reportDueOn: reportDueOn
            )
        )
    }

    static func pay(
        _ f: F,
        _ id: Int,
        _ amount: Decimal,
        paidOn: LocalDate? = F.start.adding(days: 60),
        plannedOn: LocalDate? = nil
    ) async throws
        -> Payment
    {
        try await f.write { s, tx in
            try s.addPayment(
                PaymentDraft(amount: amount, plannedOn: plannedOn, paidOn: paidOn),
                toGrant: id,
                reach: .everything,
                actor: F.actor,
                in: tx
            )
        }
    }

    @Test("the report is due 31 March of the year after the grant year, unless the decision says otherwise")
    func reportDueDate() async throws {
        try await F.with { f async throws in
            let standard = try await Self.granted(f)
            #expect(standard.reportDueOn == LocalDate(year: 2017, month: 3, day: 31))
            #expect(standard.grantedAmount == 100_000)
            #expect(standard.conditions == "Redovisning per kvartal")
            let own = try await Self.granted(f, reportDueOn: LocalDate(year: 2016, month: 12, day: 15))
            #expect(own.reportDueOn == LocalDate(year: 2016, month: 12, day: 15))
        }
    }

    @Test("payments planned and made never exceed the amount granted; a planned payment is made later")
    func payments() async throws {
        try await F.with { f async throws in
            let grant = try await Self.granted(f)
            _ = try await Self.pay(f, grant.id, 60_000)
            let planned = try await Self.pay(f, grant.id, 30_000, paidOn: nil, plannedOn: LocalDate(year: 2016, month: 9, day: 1))
            let error = await #expect(throws: FeatureError.self) { try await Self.pay(f, grant.id, 10_000.01) }
            #expect(error?.code == .invalidInput)
            #expect(error?.field == "/amount")
            #expect(try await f.count("payments") == 2)
            let made = try await f.write { s, tx in
                try s.markPaid(payment: planned.id, on: LocalDate(year: 2016, month: 9, day: 2)!, reach: .everything, actor: F.actor, in: tx)
            }
            #expect(made.paidOn == LocalDate(year: 2016, month: 9, day: 2))
            let account = try await f.read { s, db in try s.grantAccount(id: grant.id, reach: .everything, in: db) }
            #expect(account.paid == 90_000)
            #expect(account.planned == 0)
            #expect(try await f.read { s, db in try s.agreement(id: grant.id, reach: .everything, in: db) }.paidAmount == 90_000)
            let paidEvents = try await f.database.query("SELECT count(*) AS n FROM kernel.outbox WHERE name = 'partnerships.grantPaid'").single()
            #expect(try paidEvents.decode("n", as: Int.self) == 2)
            _ = try await Self.pay(f, grant.id, 10_000)
            #expect(try await f.read { s, db in try s.paidAmount(of: grant.id, in: db) } == 100_000)
        }
    }

    @Test("no payment before the decision; no report before the grant is paid; nothing stored")
    func order() async throws {
        try await F.with { f async throws in
            let applied = try await f.create(f.draft(.associationGrant))
            let early = await #expect(throws: FeatureError.self) { try await Self.pay(f, applied.id, 1_000) }
            #expect(early?.code == .conflict)
            #expect(early?.field == "/state")
            let grant = try await Self.granted(f)
            let report = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.submitReport(
                        GrantReport(submittedOn: F.start, summary: "Redovisning"),
                        forGrant: grant.id,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(report?.code == .conflict)
            #expect(report?.field == "/state")
            #expect(try await f.count("reports") == 0)
            #expect(try await f.count("payments") == 0)
            let unpaid = await #expect(throws: FeatureError.self) { try await f.change(grant.id, AgreementStateChange(state: .paid)) }
            #expect(unpaid?.field == "/payments")
        }
    }

    @Test("a repayment claim has an amount up to what was paid and a reason; the repayment closes the grant")
    func repayment() async throws {
        try await F.with { f async throws in
            let grant = try await Self.granted(f)
            _ = try await Self.pay(f, grant.id, 80_000)
            try await f.change(grant.id, AgreementStateChange(state: .paid))
            try await f.change(grant.id, AgreementStateChange(state: .reportDue))
            let tooMuch = await #expect(throws: FeatureError.self) {
                try await f.change(grant.id, AgreementStateChange(state: .repaymentClaimed, amount: 90_000, reason: "Outnyttjat"))
            }
            #expect(tooMuch?.field == "/amount")
            let noReason = await #expect(throws: FeatureError.self) {
                try await f.change(grant.id, AgreementStateChange(state: .repaymentClaimed, amount: 10_000))
            }
            #expect(noReason?.field == "/reason")
            #expect(try await f.count("repayment_claims") == 0)
            let noReport = await #expect(throws: FeatureError.self) { try await f.change(grant.id, AgreementStateChange(state: .approved)) }
            #expect(noReport?.field == "/report")
            try await f.change(grant.id, AgreementStateChange(state: .repaymentClaimed, amount: 15_000, reason: "Villkoren bröts"))
            let repaid = try await f.change(grant.id, AgreementStateChange(state: .repaid, on: LocalDate(year: 2017, month: 5, day: 1)))
            #expect(repaid.state == .repaid)
            let account = try await f.read { s, db in try s.grantAccount(id: grant.id, reach: .everything, in: db) }
            #expect(account.claims.count == 1)
            #expect(account.claims[0].reason == "Villkoren bröts")
            #expect(account.repaid == 15_000)
            #expect(repaid.repaidAmount == 15_000)
            #expect(repaid.paidAmount == 80_000)
        }
    }
}
