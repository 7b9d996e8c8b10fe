import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PageKit
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Host
@testable import PartnershipAgreements

/// A grant's use (issue 22, point 11): the grantee's report states the amount used; the unused
/// money (granted − used) is computed and a repayment claim proposed for it (rule 20), made from
/// the agreement's page with one prefilled form; the ledger in the API carries `remaining`.
@Suite("Grant use: amount used, unused money, proposed repayment claim")
struct GrantUseTests {
    typealias F = PartnershipFixture

    static func report(_ f: F, _ id: Int, used: Decimal?) async throws -> GrantReport {
        try await f.write { s, tx in
            try s.submitReport(
                GrantReport(submittedOn: F.start, summary: "Redovisning", usedAmount: used),
                forGrant: id,
                reach: .everything,
                actor: F.actor,
                in: tx
            )
        }
    }

    @Test("the report states the amount used; unused = granted − used; the proposal is the unused money paid out, less what is claimed")
    func unusedAndProposal() async throws {
        try await F.with { f async throws in
            let grant = try await GrantTests.granted(f)
            _ = try await GrantTests.pay(f, grant.id, 100_000)
            try await f.change(grant.id, AgreementStateChange(state: .paid))
            func account() async throws -> GrantAccount { try await f.read { s, db in try s.grantAccount(id: grant.id, reach: .everything, in: db) } }
            #expect(try await account().used == nil, "no report yet")
            #expect(try await account().proposedRepayment == nil)
            let over = await #expect(throws: FeatureError.self) { try await Self.report(f, grant.id, used: 100_000.01) }
            #expect(over?.field == "/usedAmount", "more than granted")
            let negative = await #expect(throws: FeatureError.self) { try await Self.report(f, grant.id, used: -1) }
            #expect(negative?.field == "/usedAmount")
            #expect(try await f.count("reports") == 0)
            let stored = try await Self.report(f, grant.id, used: 72_500.50)
            #expect(stored.usedAmount == 72_500.50)
            var use = try await account()
            #expect(use.reports.map(\.usedAmount) == [72_500.50])
            #expect(use.used == 72_500.50)
            #expect(use.unused == 27_499.50)
            #expect(use.proposedRepayment == 27_499.50)
            // Claimed in part: the rest is still proposed; claimed in full: nothing is.
            try await f.change(grant.id, AgreementStateChange(state: .reportDue))
            try await f.change(grant.id, AgreementStateChange(state: .repaymentClaimed, amount: 20_000, reason: "Outnyttjade medel"))
            use = try await account()
            #expect(use.unused == 27_499.50)
            #expect(use.proposedRepayment == 7_499.50)
        }
    }

    @Test("a grant paid in part: the proposal is what was paid and not used, the unused still granted − used")
    func paidInPart() async throws {
        try await F.with { f async throws in
            let grant = try await GrantTests.granted(f)
            _ = try await GrantTests.pay(f, grant.id, 60_000)
            try await f.change(grant.id, AgreementStateChange(state: .paid))
            _ = try await Self.report(f, grant.id, used: 50_000)
            let use = try await f.read { s, db in try s.grantAccount(id: grant.id, reach: .everything, in: db) }
            #expect(use.unused == 50_000)
            #expect(use.proposedRepayment == 10_000)
            // Everything paid was used: no claim proposed.
            _ = try await Self.report(f, grant.id, used: 60_000)
            let later = try await f.read { s, db in try s.grantAccount(id: grant.id, reach: .everything, in: db) }
            #expect(later.used == 60_000, "the latest report counts")
            #expect(later.proposedRepayment == nil)
        }
    }

    @Test(
        "the agreement page shows the use and a claim form prefilled with the unused money; one submit (and the confirmation) makes the claim; the API's ledger carries remaining"
    )
    func pageAndLedger() async throws {
        let f = try await PartnershipPageTests.fixture()
        let r = f.ids
        let store = try PartnershipStore(context: f.runtime.context(for: "partnerships"))
        // grantIn: 100 000 granted, 50 000 paid; the report says 20 000 was used.
        try await f.runtime.database.transaction { tx in
            _ = try store.submitReport(
                GrantReport(submittedOn: PartnershipsAccessFixture.day, summary: "Redovisning", usedAmount: 20_000),
                forGrant: r.grantIn,
                reach: .everything,
                actor: .system,
                in: tx
            )
            _ = try store.changeState(
                ofAgreement: r.grantIn,
                AgreementStateChange(state: .reportDue),
                today: PartnershipsAccessFixture.day,
                reach: .everything,
                actor: .system,
                in: tx
            )
        }
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var officer = try await PartnershipPageTests.signedIn(client, .officer)
            let page = try await officer.get("/partnerships/agreements/\(r.grantIn)")
            #expect(page.mainText.contains("Använt enligt redovisningen 20 000 kr"))
            #expect(page.mainText.contains("Outnyttjat (beviljat − använt) 80 000 kr"))
            #expect(page.mainText.contains("Föreslaget återkrav 30 000 kr"))
            #expect(page.body.contains(#"id="claim-unused""#))
            #expect(page.body.contains(#"name="amount""#) && page.body.contains(#"value="30000""#), "prefilled with the unused money paid out")
            // An auditor reads the proposal but gets no form.
            var auditor = try await PartnershipPageTests.signedIn(client, .auditor)
            let read = try await auditor.get("/partnerships/agreements/\(r.grantIn)")
            #expect(read.mainText.contains("Föreslaget återkrav"))
            #expect(!read.body.contains(#"id="claim-unused""#))
            // The one click: the form's values as the page has them, then the confirmation.
            let reason = "Outnyttjade medel: redovisningen visar 20\u{00A0}000\u{00A0}kr använt, 30\u{00A0}000\u{00A0}kr ska betalas tillbaka."
            #expect(page.body.contains("Outnyttjade medel: redovisningen visar"))
            // A grant's refusal says "bidraget" (issue 22's words).
            let wrong = try await officer.post("/partnerships/agreements/\(r.grantIn)/state", [("state", "repaid")])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.mainText.contains("Bidraget kan inte gå till det läget härifrån."))
            #expect(!wrong.mainText.contains("Överenskommelsen"))
            _ = try await officer.get("/partnerships/agreements/\(r.grantIn)")
            let values = [("state", "repaymentClaimed"), ("amount", "30000"), ("reason", reason)]
            let asked = try await officer.post("/partnerships/agreements/\(r.grantIn)/state", values)
            #expect(asked.status == .ok, "asks first")
            #expect(try await PartnershipPageTests.state(f, r.grantIn) == "reportDue")
            let made = try await officer.post("/partnerships/agreements/\(r.grantIn)/state", values + [("_confirmed", "yes")])
            #expect(made.status == .seeOther)
            #expect(try await PartnershipPageTests.state(f, r.grantIn) == "repaymentClaimed")
            let claimed = try await f.runtime.database.query(
                "SELECT amount FROM partnerships.repayment_claims WHERE agreement_id = \(r.grantIn)"
            ).single().decode("amount", as: Decimal.self)
            #expect(claimed == 30_000)
            let after = try await officer.get("/partnerships/agreements/\(r.grantIn)")
            #expect(!after.mainText.contains("Föreslaget återkrav"), "claimed: nothing more proposed")
            // The API: the account's use, and the ledger's remaining (granted − paid).
            let headers: HTTPFields = [.authorization: "Bearer \(f.tokens[.officer]!)"]
            let account = try await client.execute(uri: "/api/v1/partnerships/agreements/\(r.grantIn)/grant", method: .get, headers: headers)
            let json = String(buffer: account.body)
            #expect(json.contains(#""used":20000"#) && json.contains(#""unused":80000"#), "\(json)")
            let ledger = try await client.execute(uri: "/api/v1/partnerships/ledger?organisationId=\(r.provider)", method: .get, headers: headers)
            #expect(String(buffer: ledger.body).contains(#""remaining":50000"#), "\(String(buffer: ledger.body))")
        }
        await f.runtime.shutdown()
    }
}
