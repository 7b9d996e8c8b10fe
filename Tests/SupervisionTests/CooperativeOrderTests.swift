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
@testable import Supervision

/// The cooperatives read in Swedish alphabetical order (issue 22): Å, Ä and Ö after Z, on the
/// list page and in the follow-up of cooperatives without supervision.
@Suite("Supervision cooperatives in Swedish order")
struct CooperativeOrderTests {
    /// The names in Swedish alphabetical order.
    static let names = SwedishNames.inOrder

    @Test("the cooperative list sorted by name, and the cooperatives without sessions: Anna, Zacke, Åsa, Ärla, Örjan")
    func cooperativeList() async throws {
        let f = try await SupervisionPageTests.fixture()
        let store = try SupervisionStore(context: f.runtime.context(for: "supervision"))
        let day = SupervisionAccessFixture.day
        try await f.runtime.database.transaction { tx in
            for name in Self.names.shuffled() {
                let cooperative = try store.registry.createOrganisation(
                    OrganisationDraft(name: name, legalForm: .economicAssociation, kind: .cooperative, state: .active),
                    actor: .system,
                    in: tx
                ).id
                _ = try store.createAssignment(
                    AssignmentDraft(
                        cooperativeId: cooperative,
                        providerId: f.ids.provider,
                        supervisorId: f.ids.supervisor,
                        sharePercent: 20,
                        from: day,
                        fundingSource: "Kommunen",
                        state: .active
                    ),
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
            }
        }
        let inactive = try await f.runtime.database.withConnection { db in
            try store.inactive(asOf: LocalDate(year: 2017, month: 1, day: 1)!, reach: .everything, in: db)
        }
        #expect(inactive.map(\.cooperativeName).filter { $0.hasSuffix("Sorteby") } == Self.names, "same days without a session: by name")
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let ascending = try await browser.get("/supervision?sort=name&size=50")
            #expect(ascending.status == .ok)
            #expect(SwedishNames.order(in: ascending.mainText) == Self.names)
            let descending = try await browser.get("/supervision?sort=name&order=desc&size=50")
            #expect(SwedishNames.order(in: descending.mainText) == Self.names.reversed())
        }
        await f.runtime.shutdown()
    }
}
