import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import PartnershipAgreements

@Suite("Lifecycles: every transition, allowed and forbidden")
struct LifecycleTests {
    typealias F = PartnershipFixture

    /// The states reachable from `start`, each with the shortest path of states leading to it.
    static func paths(from start: AgreementState) -> [AgreementState: [AgreementState]] {
        var paths: [AgreementState: [AgreementState]] = [start: []]
        var queue = [start]
        while !queue.isEmpty {
            let state = queue.removeFirst()
            for next in state.allowedNext where paths[next] == nil {
                paths[next] = paths[state]! + [next]
                queue.append(next)
            }
        }
        return paths
    }

    /// A change to `state` carrying everything any transition may need.
    static func change(to state: AgreementState) -> AgreementStateChange {
        AgreementStateChange(state: state, comment: "Steg", grantedAmount: 100_000, amount: 100, reason: "Outnyttjade medel")
    }

    /// An agreement (an IOP ready to sign) or a grant walked to `state`; a granted grant has a
    /// payment made, a grant due to report has its report.
    static func prepare(_ state: AgreementState, _ f: F) async throws -> Agreement {
        let grantPaths = paths(from: .applied)
        let kind: AgreementKind = grantPaths[state] != nil ? .associationGrant : .iop
        var draft = f.draft(kind, contributions: kind == .iop ? f.bothContribute : nil)
        draft.procurementCheck = kind == .iop ? "Ingen marknad; inget otillåtet statsstöd" : nil
        var agreement = try await f.create(draft)
        for step in (grantPaths[state] ?? paths(from: .draft)[state])! {
            agreement = try await f.change(agreement.id, change(to: step))
            let id = agreement.id
            if step == .granted {
                _ = try await f.write { s, tx in
                    try s.addPayment(PaymentDraft(amount: 50_000, paidOn: F.start), toGrant: id, reach: .everything, actor: F.actor, in: tx)
                }
            }
            if step == .reportDue {
                _ = try await f.write { s, tx in
                    try s.submitReport(
                        GrantReport(submittedOn: F.start, summary: "Redovisning"),
                        forGrant: id,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
        }
        return agreement
    }

    @Test(
        "from each state, the lifecycle's next states are allowed (recorded, audited) and every other state is 409 naming /state",
        arguments: AgreementState.allCases
    )
    func transitions(from source: AgreementState) async throws {
        try await F.with { f async throws in
            for target in AgreementState.allCases {
                let agreement = try await Self.prepare(source, f)
                #expect(agreement.state == source)
                let transitionsBefore = try await f.count("transitions")
                let auditSQL: SQL = """
                    SELECT count(*) AS n FROM kernel.audit_log
                    WHERE entity = 'agreement' AND entity_id = \(String(agreement.id)) AND action = \("state.\(target.rawValue)")
                    """
                let auditBefore: Int = try await f.database.query(auditSQL).single().decode("n")
                if source.allowedNext.contains(target) {
                    let after = try await f.change(agreement.id, Self.change(to: target))
                    #expect(after.state == target, "\(source) → \(target)")
                    let recorded = try await f.read { s, db in try s.transitions(ofAgreement: agreement.id, reach: .everything, in: db) }
                    #expect(recorded.last?.from == source && recorded.last?.to == target && recorded.last?.actor == "test")
                    #expect(recorded.last?.comment == "Steg")
                    let auditAfter: Int = try await f.database.query(auditSQL).single().decode("n")
                    #expect(auditAfter == auditBefore + 1)
                } else {
                    let error = await #expect(throws: FeatureError.self, "\(source) → \(target) must be refused") {
                        try await f.change(agreement.id, Self.change(to: target))
                    }
                    #expect(error?.code == .conflict)
                    #expect(error?.field == "/state")
                    let unchanged = try await f.read { s, db in try s.agreement(id: agreement.id, reach: .everything, in: db) }
                    #expect(unchanged.state == source)
                    #expect(try await f.count("transitions") == transitionsBefore)
                    #expect(try await f.database.query(auditSQL).single().decode("n", as: Int.self) == auditBefore)
                }
            }
        }
    }

    @Test("signing publishes agreementSigned; an end publishes agreementEnded; a payment made publishes grantPaid")
    func events() async throws {
        try await F.with { f async throws in
            _ = try await Self.prepare(.terminated, f)
            _ = try await Self.prepare(.repaid, f)
            let names = try await f.database.query("SELECT name FROM kernel.outbox WHERE feature = 'partnerships' ORDER BY id").map {
                try $0.decode("name", as: String.self)
            }
            #expect(
                names == ["partnerships.agreementSigned", "partnerships.agreementEnded", "partnerships.grantPaid", "partnerships.agreementEnded"]
            )
        }
    }

    @Test(
        "rule 19: an IOP is signed only when a public and an idea-based party contribute, the procurement check is recorded and the idea-based party took the initiative"
    )
    func iopSigning() async throws {
        try await F.with { f async throws in
            // No contributions at all, and on the municipality's initiative.
            var draft = f.draft(.iop)
            draft.initiatedById = f.municipality
            let bare = try await f.create(draft)
            try await f.change(bare.id, AgreementStateChange(state: .legalCheck))
            var error = await #expect(throws: FeatureError.self) { try await f.change(bare.id, AgreementStateChange(state: .signed)) }
            #expect(error?.code == .invalidInput)
            #expect(error?.field == "/contributions")
            // Only the public side contributes.
            _ = try await f.write { s, tx in
                try s.addContribution(
                    ContributionDraft(organisationId: f.municipality, year: 2016, form: .money, amount: 10_000),
                    toAgreement: bare.id,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            error = await #expect(throws: FeatureError.self) { try await f.change(bare.id, AgreementStateChange(state: .signed)) }
            #expect(error?.field == "/contributions")
            // Both contribute, but no procurement check.
            _ = try await f.write { s, tx in
                try s.addContribution(
                    ContributionDraft(organisationId: f.umbrella, year: 2016, form: .inKind, amount: 5_000, description: "Volontärtimmar"),
                    toAgreement: bare.id,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            error = await #expect(throws: FeatureError.self) { try await f.change(bare.id, AgreementStateChange(state: .signed)) }
            #expect(error?.field == "/procurementCheck")
            #expect(try await f.read { s, db in try s.agreement(id: bare.id, reach: .everything, in: db) }.state == .legalCheck)
            #expect(try await f.count("transitions") == 1)
            // Recorded: but the initiative was not the idea-based party's.
            _ = try await f.write { s, tx in
                try s.recordProcurementCheck(
                    ProcurementCheck(finding: "Ingen marknad"),
                    agreement: bare.id,
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            error = await #expect(throws: FeatureError.self) { try await f.change(bare.id, AgreementStateChange(state: .signed)) }
            #expect(error?.field == "/initiatedById")
            #expect(try await f.read { s, db in try s.agreement(id: bare.id, reach: .everything, in: db) }.state == .legalCheck)
            // On the umbrella association's initiative, both contributing, checked: it signs.
            let proper = try await f.create(f.draft(.iop, contributions: f.bothContribute))
            _ = try await f.write { s, tx in
                try s.recordProcurementCheck(
                    ProcurementCheck(finding: "Ingen marknad"),
                    agreement: proper.id,
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            try await f.change(proper.id, AgreementStateChange(state: .legalCheck))
            let signed = try await f.change(proper.id, AgreementStateChange(state: .signed, comment: "Undertecknat"))
            #expect(signed.state == .signed)
            #expect(signed.procurementCheckedOn == F.start)
            #expect(signed.initiatedById == f.umbrella)
            // A framework agreement needs neither.
            let framework = try await f.create(f.draft(.frameworkAgreement))
            try await f.change(framework.id, AgreementStateChange(state: .legalCheck))
            #expect(try await f.change(framework.id, AgreementStateChange(state: .signed)).state == .signed)
        }
    }

    @Test("a contribution in kind needs a description; a contribution of someone not a party is refused")
    func contributions() async throws {
        try await F.with { f async throws in
            let agreement = try await f.create(f.draft(.iop))
            for (draft, field) in [
                (ContributionDraft(organisationId: f.umbrella, year: 2016, form: .inKind, amount: 100), "/description"),
                (ContributionDraft(organisationId: f.cooperative, year: 2016, form: .money, amount: 100), "/organisationId"),
                (ContributionDraft(organisationId: f.umbrella, year: 2016, form: .money, amount: -1), "/amount"),
                (ContributionDraft(organisationId: f.umbrella, year: 2016, form: .money, amount: Decimal(string: "1.001")!), "/amount"),
            ] {
                let error = await #expect(throws: FeatureError.self) {
                    try await f.write { s, tx in try s.addContribution(draft, toAgreement: agreement.id, reach: .everything, actor: F.actor, in: tx) }
                }
                #expect(error?.field == field)
            }
            #expect(try await f.count("contributions") == 0)
        }
    }
}
