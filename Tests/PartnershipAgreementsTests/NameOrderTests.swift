import DataAccess
import Foundation
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Host
@testable import PartnershipAgreements

/// Names read in Swedish alphabetical order (issue 22): Å, Ä and Ö after Z, in the agreements
/// list sorted by title and in the grant ledger (its organisation choice and its lines).
@Suite("Partnerships names in Swedish order")
struct NameOrderTests {
    /// The names in Swedish alphabetical order.
    static let names = SwedishNames.inOrder

    @Test("agreements by title and the grant ledger by organisation: Anna, Zacke, Åsa, Ärla, Örjan")
    func agreementsAndLedger() async throws {
        let f = try await PartnershipPageTests.fixture()
        let store = try PartnershipStore(context: f.runtime.context(for: "partnerships"))
        try await f.runtime.database.transaction { tx in
            for name in Self.names.shuffled() {
                let association = try store.registry.createOrganisation(
                    OrganisationDraft(name: name, legalForm: .nonProfitAssociation, kind: .association, state: .active),
                    actor: .system,
                    in: tx
                ).id
                _ = try store.createAgreement(
                    AgreementDraft(
                        kind: .associationGrant,
                        title: name,
                        purpose: "Verksamhet",
                        partyIds: [f.ids.municipality, association],
                        from: PartnershipsAccessFixture.day,
                        appliedAmount: 10_000
                    ),
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
            }
        }
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = try await PartnershipPageTests.signedIn(client, .officer)
            let ascending = try await browser.get("/partnerships?sort=title&size=50")
            #expect(ascending.status == .ok)
            #expect(SwedishNames.order(in: ascending.mainText) == Self.names)
            let descending = try await browser.get("/partnerships?sort=title&order=desc&size=50")
            #expect(SwedishNames.order(in: descending.mainText) == Self.names.reversed())
            let ledger = try await browser.get("/partnerships/ledger")
            #expect(ledger.status == .ok)
            #expect(SwedishNames.order(in: ledger.mainText) == Self.names)
            let lines = ledger.body.range(of: "<table").map { String(ledger.body[$0.lowerBound...]) } ?? ""
            #expect(SwedishNames.order(in: lines) == Self.names, "the ledger's lines")
        }
        await f.runtime.shutdown()
    }
}
