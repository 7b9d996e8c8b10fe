import DataAccess
import Foundation
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Education
@testable import Host

/// Names read in Swedish alphabetical order (issue 22): Å, Ä and Ö after Z, in the circle list
/// sorted by study association, and in a circle's participants and its rule check.
@Suite("Education names in Swedish order")
struct NameOrderTests {
    /// The names in Swedish alphabetical order.
    static let names = SwedishNames.inOrder

    @Test("circles by study association, and a circle's participants and rule check: Anna, Zacke, Åsa, Ärla, Örjan")
    func circlesAndParticipants() async throws {
        let (runtime, r, tokens) = try await EducationAccessTests.make()
        try await HostFixture.setPagePasswords(runtime)
        let store = try EducationStore(context: runtime.context(for: "education"))
        let day = LocalDate(year: 2001, month: 9, day: 3)!
        try await runtime.database.transaction { tx in
            for name in Self.names.shuffled() {
                let association = try store.registry.createOrganisation(
                    OrganisationDraft(name: "Studieförbundet \(name)", legalForm: .nonProfitAssociation, kind: .studyAssociation, state: .active),
                    actor: .system,
                    in: tx
                ).id
                _ = try store.createCircle(
                    CircleDraft(
                        studyAssociationId: association,
                        leaderId: r.leader,
                        subject: "Sortering",
                        plannedStart: day,
                        plannedEnd: day.adding(days: 60)
                    ),
                    actor: .system,
                    in: tx
                )
                let person = try store.registry.createPerson(PersonDraft(name: name), today: day, reach: .everything, actor: .system, in: tx).id
                _ = try store.enrol(EnrolmentDraft(personId: person), inCircle: r.circleIn, today: day, reach: .everything, actor: .system, in: tx)
            }
        }
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let circles = try await browser.get("/education?sort=association&size=50")
            #expect(circles.status == .ok)
            #expect(SwedishNames.order(in: circles.mainText) == Self.names)
            let descending = try await browser.get("/education?sort=association&order=desc&size=50")
            #expect(SwedishNames.order(in: descending.mainText) == Self.names.reversed())
            let circle = try await browser.get("/education/circles/\(r.circleIn)")
            #expect(circle.status == .ok)
            #expect(SwedishNames.order(in: circle.mainText) == Self.names, "the enrolled participants")

            let compliance = try await client.execute(
                uri: "/api/v1/education/circles/\(r.circleIn)/compliance",
                method: .get,
                headers: [.authorization: "Bearer \(tokens[.officer]!)"]
            )
            #expect(compliance.status == .ok)
            #expect(SwedishNames.order(in: String(buffer: compliance.body)) == Self.names, "the rule check's participants")
        }
        await runtime.shutdown()
    }
}
