import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import PluginKit
import Registry
import Testing

@testable import Host

/// Identity numbers never travel in a URL (issue 19, point 12): the API looks a number up from a
/// POST body, the people page from a posted form; a number in a query answers 422.
@Suite("Identity numbers never in a URL")
struct IdentityNumberInURLTests {
    static let number = "19850722-4569"

    /// The access fixture with a person with a known number in reach of the supervisor and one out of it.
    static func fixture() async throws -> (AccessFixture, inReach: Int, outOfReach: Int) {
        let f = try await AccessFixture.make()
        try await HostFixture.setPagePasswords(f.runtime)
        let registry = f.runtime.registry
        let ids = try await f.runtime.database.transaction { tx in
            let inside = try registry.createPerson(
                PersonDraft(
                    name: "Ulla Hedberg",
                    identityNumber: "198507224569",
                    roles: [RoleAssignment(organisationId: f.inReach, role: .cooperator, from: AccessFixture.day)]
                ),
                today: .today(),
                reach: .everything,
                actor: .system,
                in: tx
            )
            let outside = try registry.createPerson(
                PersonDraft(
                    name: "Tomas Ek",
                    identityNumber: "197001011233",
                    roles: [RoleAssignment(organisationId: f.outOfReach, role: .cooperator, from: AccessFixture.day)]
                ),
                today: .today(),
                reach: .everything,
                actor: .system,
                in: tx
            )
            return (inside.id, outside.id)
        }
        return (f, ids.0, ids.1)
    }

    @Test("the API: a number in a query is 422 without repeating it; POST /people/lookup finds it within reach, and out of reach as never registered")
    func api() async throws {
        let (f, inReach, _) = try await Self.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            let officer = f.tokens[.officer]!
            for path in ["people?identityNumber=198507224569", "people?q=19850722-4569", "people?q=8507224569&limit=5"] {
                let refused = try await AccessTests.request(client, .get, path, token: officer)
                #expect(refused.status == .unprocessableContent, "\(path)")
                #expect(refused.headers[.contentType] == "application/problem+json")
                let body = String(buffer: refused.body)
                #expect(body.contains("not taken in a URL") && body.contains("POST /api/v1/registry/people/lookup"))
                #expect(!body.contains("4569"))
            }
            let found = try await AccessTests.request(client, .post, "people/lookup", token: officer, body: #"{"identityNumber": "\#(Self.number)"}"#)
            #expect(found.status == .ok)
            let page = String(buffer: found.body)
            #expect(page.contains(#""id":\#(inReach)"#) && page.contains("19850722-****") && !page.contains("4569"), "\(page)")
            // The supervisor works for the provider: the number out of reach answers as an unknown one.
            let supervisor = f.tokens[.supervisor]!
            let outside = try await AccessTests.request(
                client,
                .post,
                "people/lookup",
                token: supervisor,
                body: #"{"identityNumber": "19700101-1233"}"#
            )
            let unknown = try await AccessTests.request(
                client,
                .post,
                "people/lookup",
                token: supervisor,
                body: #"{"identityNumber": "19700101-1241"}"#
            )
            #expect(outside.status == .ok && unknown.status == .ok)
            #expect(String(buffer: outside.body) == String(buffer: unknown.body))
            #expect(String(buffer: outside.body).contains(#""items":[]"#))
            let inside = try await AccessTests.request(
                client,
                .post,
                "people/lookup",
                token: supervisor,
                body: #"{"identityNumber": "\#(Self.number)"}"#
            )
            #expect(String(buffer: inside.body).contains("Ulla Hedberg"))
            // The contract says so.
            let document = String(buffer: try await client.execute(uri: "/openapi.json", method: .get).body)
            #expect(document.contains("lookUpPerson") && document.contains("/api/v1/registry/people/lookup"))
        }
    }

    @Test("the pages: a number in the search is 422; the lookup form posts it and leads to the person, or says no one")
    func pages() async throws {
        let (f, inReach, outOfReach) = try await Self.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var officer = PageBrowser(client)
            try await officer.signIn("user-officer", password: HostFixture.pagePassword)
            let refused = try await officer.get("/registry/people?q=19850722-4569")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.mainText.contains("Hitta på personnummer"))
            #expect(!refused.mainText.contains("4569"))
            let list = try await officer.get("/registry/people")
            #expect(list.body.contains(#"action="/registry/people/lookup""#))
            let found = try await officer.post("/registry/people/lookup", [("identityNumber", Self.number)])
            #expect(found.status == .seeOther)
            #expect(found.location == "/registry/people/\(inReach)")
            _ = try await officer.get("/registry/people")
            let invalid = try await officer.post("/registry/people/lookup", [("identityNumber", "19850722-4568")])
            #expect(invalid.status == .unprocessableContent)
            #expect(!invalid.body.contains("4568"), "the number is not written back")
            var supervisor = PageBrowser(client)
            try await supervisor.signIn("user-supervisor", password: HostFixture.pagePassword)
            _ = try await supervisor.get("/registry/people")
            let outside = try await supervisor.post("/registry/people/lookup", [("identityNumber", "19700101-1233")])
            _ = try await supervisor.get("/registry/people")
            let unknown = try await supervisor.post("/registry/people/lookup", [("identityNumber", "19700101-1241")])
            #expect(outside.status == .notFound && unknown.status == .notFound)
            #expect(outside.mainText == unknown.mainText)
            #expect(outside.location != "/registry/people/\(outOfReach)")
        }
    }
}
