import DataAccess
import Foundation
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PageKit
import PluginKit
import Registry
import TestSupport
import Testing

@testable import ESFProject
@testable import Host

/// The participants list reads in Swedish alphabetical order (issue 22): Å, Ä and Ö after Z.
@Suite("ESF participants in Swedish order")
struct ParticipantOrderTests {
    /// The names in Swedish alphabetical order.
    static let names = SwedishNames.inOrder

    @Test("the participants page sorted by name: Anna, Zacke, Åsa, Ärla, Örjan, and reversed when descending")
    func participantsPage() async throws {
        let (runtime, r, _) = try await ESFAccessTests.make()
        try await HostFixture.setPagePasswords(runtime)
        let store = try ESFStore(context: runtime.context(for: "esf"))
        try await runtime.database.transaction { tx in
            for name in Self.names.shuffled() {
                let person = try store.registry.createPerson(
                    PersonDraft(name: name, gender: .female),
                    today: .today(),
                    reach: .everything,
                    actor: .system,
                    in: tx
                ).id
                _ = try store.enter(
                    ParticipationDraft(personId: person, from: LocalDate(year: 2016, month: 3, day: 1)!, entryStatus: OneOrMore(.unemployed)),
                    project: r.project,
                    special: true,
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
            }
        }
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = try await ESFPageTests.signedIn(client, .coordinator)
            let ascending = try await browser.get("/esf/projects/\(r.project)/participants?sort=name")
            #expect(ascending.status == .ok)
            #expect(SwedishNames.order(in: ascending.mainText) == Self.names)
            let descending = try await browser.get("/esf/projects/\(r.project)/participants?sort=name&order=desc")
            #expect(SwedishNames.order(in: descending.mainText) == Self.names.reversed())
            let download = try await browser.get("/esf/projects/\(r.project)/participants?sort=name&format=csv")
            #expect(SwedishNames.order(in: download.body) == Self.names, "the download keeps the order")
        }
        await runtime.shutdown()
    }
}
