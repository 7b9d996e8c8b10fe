import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Host

/// The registry's writes in the pages: a person registered with a role, a person's details changed
/// from their current values (the identity number never shown or sent back), an organisation's ASF
/// criteria, erasure after a confirmation; a wrong identity number refused at its field.
@Suite("Registry forms")
struct RegistryFormTests {
    @Test("a person is registered with a role in one form; a wrong identity number is refused at its field in Swedish")
    func registerPerson() async throws {
        let f = try await PageTests.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let people = try await browser.get("/registry/people")
            #expect(people.body.contains(#"href="/registry/forms/createPerson?back=/registry/people""#))
            let form = try await browser.get("/registry/forms/createPerson?back=/registry/people")
            #expect(form.status == .ok)
            #expect(form.body.contains(#"<legend>Roller</legend>"#))
            #expect(form.body.contains(#"name="roles.0.organisationId""#))
            #expect(form.body.contains(#"<option value="female">Kvinna</option>"#))
            let before = try await HostFixture.count(f.runtime, "SELECT count(*) AS n FROM registry.people")
            var fields = [
                ("name", "Maja Lind"), ("identityNumber", "19850722-4560"), ("gender", "female"), ("contact.email", "maja@example.se"),
                ("roles.0.organisationId", String(f.inReach)), ("roles.0.role", "cooperator"), ("roles.0.from", "2026-01-01"),
            ]
            let refused = try await browser.post("/registry/forms/createPerson?back=/registry/people", fields)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains(##"<a href="#f-identityNumber">Personnummer eller samordningsnummer: "##))
            #expect(try await HostFixture.count(f.runtime, "SELECT count(*) AS n FROM registry.people") == before)
            fields[1] = ("identityNumber", "19850722-4569")
            let saved = try await browser.post("/registry/forms/createPerson?back=/registry/people", fields)
            #expect(saved.status == .seeOther)
            let path = try #require(saved.location)
            #expect(path.hasPrefix("/registry/people/"))
            let person = try await browser.get(path)
            #expect(person.mainText.contains("Maja Lind"))
            #expect(person.mainText.contains("Café Gläntan"))
            #expect(person.mainText.contains("19850722-****"), "the number masked")
        }
    }

    @Test("a limit of the API document, broken past the browser's own check, is refused at its field in the reader's language")
    func schemaLimitInSwedish() async throws {
        let f = try await PageTests.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let before = try await HostFixture.count(f.runtime, "SELECT count(*) AS n FROM registry.people")
            _ = try await browser.get("/registry/forms/createPerson?back=/registry/people")
            // A client that ignores `maxlength` (or a browser without it): the document's limit holds.
            let fields = [("name", String(repeating: "Å", count: 201)), ("gender", "female"), ("contact.phone", String(repeating: "1", count: 41))]
            let refused = try await browser.post("/registry/forms/createPerson?back=/registry/people", fields)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Texten har 201 tecken; högst 200 får plats."))
            #expect(refused.body.contains("Texten har 41 tecken; högst 40 får plats."))
            #expect(!refused.body.contains("characters long"), "no English left on a Swedish page")
            #expect(try await HostFixture.count(f.runtime, "SELECT count(*) AS n FROM registry.people") == before)
        }
    }

    @Test("a change starts from the current values, never with the identity number; the ASF criteria are ticked")
    func changeFromCurrentValues() async throws {
        let f = try await PageTests.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let organisation = try await browser.get("/registry/forms/updateOrganisation?id=\(f.inReach)")
            #expect(organisation.status == .ok)
            #expect(organisation.body.contains(#"name="name" value="Café Gläntan""#), "the current name")
            #expect(organisation.body.contains(#"<option value="economicAssociation" selected>Ekonomisk förening</option>"#))
            let changed = try await browser.post(
                "/registry/forms/updateOrganisation?id=\(f.inReach)",
                [
                    ("name", "Café Gläntan ek. för."), ("legalForm", "economicAssociation"), ("kind", "cooperative"),
                    ("asf.integratesPeopleFarFromWork", "on"), ("asf.participationThroughOwnership", "on"),
                    ("asf.profitsMainlyReinvested", "on"), ("asf.lowestMonthlyWage", "21000"),
                ]
            )
            #expect(changed.status == .seeOther)
            #expect(changed.location == "/registry/organisations/\(f.inReach)")
            let row = try await f.runtime.database.query("SELECT name, asf::text AS asf FROM registry.organisations WHERE id = \(f.inReach)").single()
            #expect(try row.decode("name", as: String.self) == "Café Gläntan ek. för.")
            #expect(try row.decode("asf", as: String.self).contains(#""integratesPeopleFarFromWork": true"#))

            let person = try await browser.get("/registry/forms/updatePerson?id=\(f.personInReach)")
            #expect(person.status == .ok)
            #expect(person.body.contains(#"name="identityNumber" value="""#), "the number is never filled in")
        }
    }

    @Test("erasure asks first and says what goes; then the person's name is gone and the page says Pseudonymiserad")
    func erasureAsksFirst() async throws {
        let f = try await PageTests.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-admin", password: HostFixture.pagePassword)
            let path = "/registry/forms/erasePerson?id=\(f.personInReach)"
            let form = try await browser.get(path)
            #expect(form.status == .ok)
            #expect(form.mainText.contains("Födelseåret och antalen i cirklar och projekt finns kvar"))
            let asked = try await browser.post(path, [])
            #expect(asked.mainText.contains("Det går inte att ångra."))
            func name() async throws -> String {
                try await f.runtime.database.query("SELECT name AS n FROM registry.people WHERE id = \(f.personInReach)").single().decode(
                    "n",
                    as: String.self
                )
            }
            let before = try await name()
            let done = try await browser.post(path, [("_confirmed", "yes")])
            #expect(done.status == .seeOther)
            #expect(done.location == "/registry/people")
            #expect(try await name() != before)
            let erased = try await browser.get("/registry/people/\(f.personInReach)")
            #expect(erased.mainText.contains("Personnummer eller samordningsnummer"))
            #expect(erased.mainText.contains("Pseudonymiserad"), "an erased person is called what a caseworker calls it")
        }
    }
}
