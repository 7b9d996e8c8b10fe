import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import PartnershipAgreements

@Suite("Bad input: refused naming the field, nothing stored")
struct BadInputTests {
    typealias F = PartnershipFixture

    /// A value of a new agreement that breaks a rule, and the field that must be named.
    enum Bad: String, CaseIterable, Sendable {
        case endBeforeStart, reviewBeforeStart, blankTitle, negativeApplied, threeDecimalsApplied, grantWithoutAmount, iopWithoutPublicParty,
            iopWithoutIdeaBasedParty, grantWithTwoRecipients, unknownParty, repeatedParty, contributionThreeDecimals, contributionNegative,
            inKindWithoutDescription, amountOnNonGrant, initiatorNotAParty

        func apply(to draft: inout AgreementDraft, _ f: F) -> String {
            switch self {
            case .endBeforeStart:
                draft.to = LocalDate(year: 2015, month: 12, day: 31)
                return "/to"
            case .reviewBeforeStart:
                draft.reviewOn = LocalDate(year: 2015, month: 1, day: 1)
                return "/reviewOn"
            case .blankTitle:
                draft.title = "   "
                return "/title"
            case .negativeApplied:
                draft.kind = .associationGrant
                draft.appliedAmount = -5
                return "/appliedAmount"
            case .threeDecimalsApplied:
                draft.kind = .associationGrant
                draft.appliedAmount = Decimal(string: "1000.125")!
                return "/appliedAmount"
            case .grantWithoutAmount:
                draft.kind = .associationGrant
                draft.appliedAmount = nil
                return "/appliedAmount"
            case .iopWithoutPublicParty:
                draft.partyIds = [f.umbrella, f.cooperative]
                return "/partyIds"
            case .iopWithoutIdeaBasedParty:
                draft.partyIds = [f.municipality, f.agency]
                return "/partyIds"
            case .grantWithTwoRecipients:
                draft.kind = .associationGrant
                draft.appliedAmount = 1_000
                draft.partyIds = [f.municipality, f.umbrella, f.cooperative]
                return "/partyIds"
            case .unknownParty:
                draft.partyIds = [f.municipality, 999_999]
                return "/partyIds/1"
            case .repeatedParty:
                draft.partyIds = [f.municipality, f.umbrella, f.municipality]
                return "/partyIds/2"
            case .contributionThreeDecimals:
                draft.contributions = [ContributionDraft(organisationId: f.umbrella, year: 2016, form: .money, amount: Decimal(string: "0.005")!)]
                return "/contributions/0/amount"
            case .contributionNegative:
                draft.contributions = [
                    ContributionDraft(organisationId: f.municipality, year: 2016, form: .money, amount: 10),
                    ContributionDraft(organisationId: f.umbrella, year: 2016, form: .money, amount: -10),
                ]
                return "/contributions/1/amount"
            case .inKindWithoutDescription:
                draft.contributions = [ContributionDraft(organisationId: f.umbrella, year: 2016, form: .inKind, amount: 10, description: " ")]
                return "/contributions/0/description"
            case .amountOnNonGrant:
                draft.appliedAmount = 10
                return "/appliedAmount"
            case .initiatorNotAParty:
                draft.initiatedById = f.cooperative
                return "/initiatedById"
            }
        }
    }

    @Test("a new agreement with a bad value is refused naming the field, and nothing is stored", arguments: Bad.allCases)
    func badAgreement(_ bad: Bad) async throws {
        try await F.with { f async throws in
            var draft = f.draft(.iop)
            let field = bad.apply(to: &draft, f)
            let invalid = draft
            let error = await #expect(throws: FeatureError.self) { try await f.create(invalid) }
            #expect(error?.code == .invalidInput)
            #expect(error?.field == field)
            #expect(try await f.count("agreements") == 0)
            #expect(try await f.count("parties") == 0)
            #expect(try await f.count("contributions") == 0)
            let audit = try await f.database.query("SELECT count(*) AS n FROM kernel.audit_log WHERE feature = 'partnerships'").single()
            #expect(try audit.decode("n", as: Int.self) == 0)
        }
    }

    @Test("amounts: at most two decimals, not negative", arguments: ["0", "0.5", "12.34", "2820000.00"], ["-0.01", "1.001", "12.345"])
    func amounts(good: String, bad: String) throws {
        #expect(try Amount.check(Decimal(string: good)!, field: "/amount") == Decimal(string: good)!)
        #expect(throws: FeatureError.self) { try Amount.check(Decimal(string: bad)!, field: "/amount") }
    }

    @Test("a grant decision with an amount of more than two decimals is refused naming /grantedAmount")
    func badDecision() async throws {
        try await F.with { f async throws in
            let grant = try await f.create(f.draft(.associationGrant))
            try await f.change(grant.id, AgreementStateChange(state: .inReview))
            let error = await #expect(throws: FeatureError.self) {
                try await f.change(grant.id, AgreementStateChange(state: .granted, grantedAmount: Decimal(string: "99.999")!))
            }
            #expect(error?.field == "/grantedAmount")
            let missing = await #expect(throws: FeatureError.self) { try await f.change(grant.id, AgreementStateChange(state: .granted)) }
            #expect(missing?.field == "/grantedAmount")
            #expect(try await f.read { s, db in try s.agreement(id: grant.id, reach: .everything, in: db) }.state == .inReview)
        }
    }
}
