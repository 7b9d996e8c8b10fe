import DataAccess
import ESFProject
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Host

/// A host with the registry, one user and token per role, and records inside and outside the
/// supervisor's reach.
struct AccessFixture {
    let runtime: HostRuntime
    var tokens: [Role: String] = [:]
    let provider: Int
    let inReach: Int
    let outOfReach: Int
    let personInReach: Int
    let personOutOfReach: Int
    let roleInReach: Int
    let roleOutOfReach: Int
    /// A unit of the municipality (its yearly cost), outside the supervisor's reach.
    let unit: Int

    static let day = LocalDate(year: 2020, month: 1, day: 1)!

    /// The ids of the records the routes touch.
    struct Records {
        let provider, inReach, outOfReach, personInReach, personOutOfReach, roleInReach, roleOutOfReach, unit: Int
    }

    var records: Records {
        Records(
            provider: provider,
            inReach: inReach,
            outOfReach: outOfReach,
            personInReach: personInReach,
            personOutOfReach: personOutOfReach,
            roleInReach: roleInReach,
            roleOutOfReach: roleOutOfReach,
            unit: unit
        )
    }

    static func make() async throws -> AccessFixture {
        let url = try await TestPostgres.makeDatabaseURL()
        let runtime = try HostFixture.runtime(url: url, features: "", extra: "security:\n  tokenCacheSeconds: 0")
        try await runtime.migrate()
        try await runtime.registry.verifyKey()
        let registry = runtime.registry
        let ids = try await runtime.database.transaction { tx in
            func organisation(_ name: String) throws -> Int {
                try registry.createOrganisation(
                    OrganisationDraft(name: name, legalForm: .economicAssociation, kind: .cooperative),
                    actor: .system,
                    in: tx
                ).id
            }
            let provider = try organisation("Paraplyföreningen")
            let inReach = try organisation("Café Gläntan")
            let outOfReach = try organisation("Cykelverkstan")
            try registry.grantScope(provider: provider, organisation: inReach, feature: "test", in: tx)
            func person(_ name: String, _ organisation: Int) throws -> (Int, Int) {
                let person = try registry.createPerson(
                    PersonDraft(name: name, roles: [RoleAssignment(organisationId: organisation, role: .cooperator, from: day)]),
                    today: .today(),
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
                let role = try registry.roles(ofPerson: person.id, reach: .everything, in: tx)[0].id
                return (person.id, role)
            }
            let (personIn, roleIn) = try person("Jörgen Lindqvist", inReach)
            let (personOut, roleOut) = try person("Tomasz Nowak", outOfReach)
            let unit = try registry.createOrganisation(
                OrganisationDraft(name: "Enheten för sociala arbetskooperativ", legalForm: .municipalUnit, kind: .publicBody),
                actor: .system,
                in: tx
            ).id
            return [provider, inReach, outOfReach, personIn, personOut, roleIn, roleOut, unit]
        }
        var fixture = AccessFixture(
            runtime: runtime,
            provider: ids[0],
            inReach: ids[1],
            outOfReach: ids[2],
            personInReach: ids[3],
            personOutOfReach: ids[4],
            roleInReach: ids[5],
            roleOutOfReach: ids[6],
            unit: ids[7]
        )
        fixture.tokens = try await HostFixture.tokensPerRole(runtime, provider: fixture.provider)
        return fixture
    }
}

@Suite("Access: tokens, permissions, reach")
struct AccessTests {
    typealias Route = WalkedRoute

    /// Every registry route, once inside and (where a record is involved) once outside the
    /// supervisor's reach. `fresh` makes records a route consumes (a prospect to activate, a
    /// person to erase), so each role's run starts from the same state.
    static func routes(_ f: AccessFixture.Records, fresh: (prospect: Int, person: Int), serial: Int) -> [Route] {
        typealias P = RegistryPermissions
        let from = AccessFixture.day.adding(days: serial * 10).description
        let to = AccessFixture.day.adding(days: serial * 10 + 5).description
        let orgBody = #"{"name": "Ny förening \#(serial)", "legalForm": "nonProfitAssociation", "kind": "association"}"#
        func personBody(_ organisation: Int) -> String {
            #"{"name": "Ny person \#(serial)", "gender": "female", "roles": [{"organisationId": \#(organisation), "role": "participant", "from": "\#(from)"}]}"#
        }
        func roleBody(_ person: Int, _ organisation: Int) -> String {
            #"{"personId": \#(person), "organisationId": \#(organisation), "role": "contact", "from": "\#(from)", "to": "\#(to)"}"#
        }
        return [
            Route(method: .get, path: "organisations", body: nil, permission: P.organisationRead, outsideReach: false, success: .ok),
            Route(method: .get, path: "organisations?q=caf&limit=5", body: nil, permission: P.organisationRead, outsideReach: false, success: .ok),
            Route(method: .post, path: "organisations", body: orgBody, permission: P.organisationWrite, outsideReach: false, success: .created),
            Route(method: .get, path: "organisations/\(f.inReach)", body: nil, permission: P.organisationRead, outsideReach: false, success: .ok),
            Route(method: .get, path: "organisations/\(f.outOfReach)", body: nil, permission: P.organisationRead, outsideReach: true, success: .ok),
            Route(
                method: .patch,
                path: "organisations/\(f.inReach)",
                body: #"{"contact": {"phone": "010-\#(serial)"}}"#,
                permission: P.organisationWrite,
                outsideReach: false,
                success: .ok
            ),
            Route(
                method: .post,
                path: "organisations/\(fresh.prospect)/state",
                body: #"{"state": "active"}"#,
                permission: P.organisationWrite,
                outsideReach: true,
                success: .ok
            ),
            Route(
                method: .post,
                path: "organisations/\(f.unit)/costs",
                body: #"{"year": \#(2000 + serial), "amount": 1250000.5}"#,
                permission: P.unitCostWrite,
                outsideReach: true,
                success: .ok
            ),
            Route(method: .get, path: "organisations/\(f.inReach)/roles", body: nil, permission: P.personRead, outsideReach: false, success: .ok),
            Route(method: .get, path: "organisations/\(f.outOfReach)/roles", body: nil, permission: P.personRead, outsideReach: true, success: .ok),
            Route(method: .get, path: "people?q=lind", body: nil, permission: P.personRead, outsideReach: false, success: .ok),
            // A lookup by a full identity number, in the body: the number must not reach the request log.
            Route(
                method: .post,
                path: "people/lookup",
                body: #"{"identityNumber": "198507224569"}"#,
                permission: P.personRead,
                outsideReach: false,
                success: .ok
            ),
            Route(method: .post, path: "people", body: personBody(f.inReach), permission: P.personWrite, outsideReach: false, success: .created),
            Route(method: .post, path: "people", body: personBody(f.outOfReach), permission: P.personWrite, outsideReach: true, success: .created),
            Route(method: .get, path: "people/\(f.personInReach)", body: nil, permission: P.personRead, outsideReach: false, success: .ok),
            Route(method: .get, path: "people/\(f.personOutOfReach)", body: nil, permission: P.personRead, outsideReach: true, success: .ok),
            Route(
                method: .patch,
                path: "people/\(f.personInReach)",
                body: #"{"contact": {"email": "j\#(serial)@example.org"}}"#,
                permission: P.personWrite,
                outsideReach: false,
                success: .ok
            ),
            Route(
                method: .patch,
                path: "people/\(f.personOutOfReach)",
                body: #"{"gender": "male"}"#,
                permission: P.personWrite,
                outsideReach: true,
                success: .ok
            ),
            Route(method: .get, path: "people/\(f.personInReach)/roles", body: nil, permission: P.personRead, outsideReach: false, success: .ok),
            Route(method: .get, path: "people/\(f.personOutOfReach)/roles", body: nil, permission: P.personRead, outsideReach: true, success: .ok),
            Route(method: .post, path: "people/\(fresh.person)/erasure", body: nil, permission: P.personErase, outsideReach: true, success: .ok),
            Route(
                method: .post,
                path: "roles",
                body: roleBody(f.personInReach, f.inReach),
                permission: P.personWrite,
                outsideReach: false,
                success: .created
            ),
            Route(
                method: .post,
                path: "roles",
                body: roleBody(f.personOutOfReach, f.outOfReach),
                permission: P.personWrite,
                outsideReach: true,
                success: .created
            ),
            Route(method: .get, path: "roles/\(f.roleInReach)", body: nil, permission: P.personRead, outsideReach: false, success: .ok),
            Route(method: .get, path: "roles/\(f.roleOutOfReach)", body: nil, permission: P.personRead, outsideReach: true, success: .ok),
            Route(
                method: .post,
                path: "roles/\(f.roleInReach)/end",
                body: #"{"on": "2030-12-31"}"#,
                permission: P.personWrite,
                outsideReach: false,
                success: .ok
            ),
            Route(
                method: .post,
                path: "roles/\(f.roleOutOfReach)/end",
                body: #"{"on": "2030-12-31"}"#,
                permission: P.personWrite,
                outsideReach: true,
                success: .ok
            ),
        ]
    }

    static func request(
        _ client: some TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String?,
        body: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: "/api/v1/registry/\(path)", method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    @Test("every registry route with every role: 401 without a token, 403 without the permission, 404 outside a supervisor's reach")
    func routeWalk() async throws {
        let f = try await AccessFixture.make()
        let registry = f.runtime.registry
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var checked = 0
            var done: Set<String> = []
            for (index, role) in ([Role?.none] + Role.allCases.map(Optional.some)).enumerated() {
                let serial = index + 1
                let fresh = try await f.runtime.database.transaction { tx in
                    let prospect = try registry.createOrganisation(
                        OrganisationDraft(name: "Prospect \(serial)", legalForm: .economicAssociation, kind: .cooperative),
                        actor: .system,
                        in: tx
                    ).id
                    let person = try registry.createPerson(
                        PersonDraft(name: "To erase \(serial)"),
                        today: .today(),
                        reach: .everything,
                        actor: .system,
                        in: tx
                    ).id
                    return (prospect, person)
                }
                checked += try await WalkedRoute.check(
                    Self.routes(f.records, fresh: fresh, serial: serial),
                    as: role,
                    client: client,
                    prefix: "/api/v1/registry/",
                    tokens: f.tokens,
                    roles: f.runtime.roles,
                    done: &done
                )
            }
            #expect(checked == 6 * 27)
            // The audit log: auditor and admin only.
            for role in Role.allCases {
                let response = try await client.execute(
                    uri: "/api/v1/audit?limit=5",
                    method: .get,
                    headers: [.authorization: "Bearer \(f.tokens[role]!)"]
                )
                #expect(response.status == (role == .auditor || role == .admin ? .ok : .forbidden), "\(role) GET /api/v1/audit")
            }
        }
    }

    @Test("the route walk covers every operation of the registry API document, each with the permission the document names")
    func walkCoversOpenAPI() throws {
        let f = AccessFixture.Records(
            provider: 1,
            inReach: 2,
            outOfReach: 3,
            personInReach: 4,
            personOutOfReach: 5,
            roleInReach: 6,
            roleOutOfReach: 7,
            unit: 10
        )
        let plugin = try RegistryPlugin(settings: ConfigSection(path: "features.registry", value: nil))
        let document = try APIDocument(url: try #require(RegistryPlugin.apiDocument), featureID: "registry", permissions: plugin.permissions)
        try WalkedRoute.expectCovers(document, Self.routes(f, fresh: (8, 9), serial: 0))
    }

    @Test("tokens: a malformed header, an unknown, revoked or expired token and a disabled user all get 401")
    func invalidTokens() async throws {
        let f = try await AccessFixture.make()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            let officer = f.tokens[.officer]!
            #expect(try await Self.request(client, .get, "organisations", token: officer).status == .ok)
            for header in [
                "Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer kop_unknown", "Bearer " + String(officer.dropLast()),
                "Bearer_" + officer, "Bearerkop_" + officer.dropFirst(4), "Bearer " + officer + " x",
            ] {
                let response = try await client.execute(uri: "/api/v1/registry/organisations", method: .get, headers: [.authorization: header])
                #expect(response.status == .unauthorized, "\(header.prefix(12))")
            }
            // The scheme in any case, with blanks around the token, as HTTP allows.
            for header in ["bearer " + officer, "BEARER " + officer, "Bearer \t " + officer + " \t"] {
                let response = try await client.execute(uri: "/api/v1/registry/organisations", method: .get, headers: [.authorization: header])
                #expect(response.status == .ok, "\(header.prefix(12))")
            }
            let tokens = try await f.runtime.users.tokens(of: "user-officer")
            _ = try await f.runtime.users.revokeToken(id: tokens[0].id, actor: .system)
            #expect(try await Self.request(client, .get, "organisations", token: officer).status == .unauthorized)

            let coordinator = f.tokens[.coordinator]!
            try await f.runtime.database.execute(
                "UPDATE kernel.tokens SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM kernel.users WHERE name = 'user-coordinator')"
            )
            #expect(try await Self.request(client, .get, "organisations", token: coordinator).status == .unauthorized)

            let auditor = f.tokens[.auditor]!
            #expect(try await Self.request(client, .get, "organisations", token: auditor).status == .ok)
            _ = try await f.runtime.users.disable(name: "user-auditor", actor: .system)
            #expect(try await Self.request(client, .get, "organisations", token: auditor).status == .unauthorized)
            let audit = try await f.runtime.database.query(
                "SELECT action FROM kernel.audit_log WHERE feature = 'kernel' AND action IN ('revoke', 'disable')"
            )
            #expect(audit.count == 2)
        }
    }

    @Test("bad input over HTTP: a problem body naming the field and the reason, nothing stored")
    func badInput() async throws {
        let f = try await AccessFixture.make()
        let officer = f.tokens[.officer]!
        let before = try await f.runtime.database.query("SELECT count(*) AS n FROM registry.people").single().decode("n", as: Int.self)
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            func problem(_ response: TestResponse) throws -> Problem {
                try JSONDecoder().decode(Problem.self, from: Data(String(buffer: response.body).utf8))
            }
            let cases: [(HTTPRequest.Method, String, String?, HTTPResponse.Status, String?, String)] = [
                (.post, "people", #"{"name": "A", "identityNumber": "850722-4568"}"#, .unprocessableContent, "/identityNumber", "check digit"),
                (.post, "people", #"{"name": "A", "identityNumber": "850762-4568"}"#, .unprocessableContent, "/identityNumber", ""),
                (.post, "people", #"{"name": "A", "identityNumber": "8507"}"#, .unprocessableContent, "/identityNumber", "digits"),
                (
                    .post, "people", #"{"name": "A", "identityNumber": "770661-4513", "identityKind": "personnummer"}"#, .unprocessableContent,
                    "/identityNumber", ""
                ),
                // An empty identity number is refused at its field; null (below) means none.
                (.post, "people", #"{"name": "A", "identityNumber": ""}"#, .unprocessableContent, "/identityNumber", "empty"),
                (.post, "people", #"{"name": "A", "identityNumber": "  "}"#, .unprocessableContent, "/identityNumber", "empty"),
                (.patch, "people/\(f.personInReach)", #"{"identityNumber": ""}"#, .unprocessableContent, "/identityNumber", "empty"),
                (.post, "people", #"{"name": "A", "gender": "woman"}"#, .badRequest, "/gender", "woman"),
                (.post, "people", #"{"gender": "female"}"#, .badRequest, "/name", "missing"),
                (.post, "people", #"{"name": "A\u0000B"}"#, .unprocessableContent, "/name", "control character"),
                (.post, "organisations", #"{"name": "X", "legalForm": "ab", "kind": "cooperative"}"#, .badRequest, "/legalForm", "ab"),
                (
                    .post, "organisations",
                    #"{"name": "X", "organisationNumber": "769615-4323", "legalForm": "limitedCompany", "kind": "cooperative"}"#,
                    .unprocessableContent, "/organisationNumber", "check digit"
                ),
                (.post, "organisations/\(f.inReach)/state", #"{"state": "woundUp", "on": "2020-13-01"}"#, .badRequest, "/on", ""),
                (.post, "organisations/\(f.inReach)/state", #"{"state": "prospect"}"#, .conflict, "/state", "cannot become prospect"),
                (.get, "organisations/999999", nil, .notFound, nil, "no organisation with id 999999"),
                (.get, "organisations?kind=bogus", nil, .unprocessableContent, "kind", "must be one of"),
                (.get, "people?limit=0", nil, .unprocessableContent, "limit", "between 1 and 500"),
                (.get, "people?cursor=zzz", nil, .badRequest, "cursor", "not a cursor"),
                (.get, "people?cursor=c1", nil, .badRequest, "cursor", "not a cursor"),
                (.get, "people?identityNumber=123", nil, .unprocessableContent, "identityNumber", "not taken in a URL"),
                (.post, "people/lookup", #"{"identityNumber": "850722-4568"}"#, .unprocessableContent, "/identityNumber", "check digit"),
                (.post, "roles", #"{"personId": 999999, "organisationId": 1, "role": "contact", "from": "2020-01-01"}"#, .notFound, nil, "no person"),
            ]
            for (method, path, body, status, pointer, reason) in cases {
                let response = try await Self.request(client, method, path, token: officer, body: body)
                #expect(response.status == status, "\(method) \(path) \(body ?? "") → \(String(buffer: response.body))")
                #expect(response.headers[.contentType] == "application/problem+json")
                let body = try problem(response)
                #expect(body.pointer == pointer, "\(path) \(body.detail)")
                #expect(reason.isEmpty || body.detail.contains(reason), "\(path): \(body.detail)")
                #expect(!body.detail.contains("850722"), "a problem body never repeats an identity number")
            }
            let after = try await f.runtime.database.query("SELECT count(*) AS n FROM registry.people").single().decode("n", as: Int.self)
            #expect(after == before)
        }
    }

    @Test("an identity number of null means none: the person is registered without one")
    func nullIdentityNumber() async throws {
        let f = try await AccessFixture.make()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            let body = #"{"name": "Nils Utan", "identityNumber": null}"#
            let response = try await Self.request(client, .post, "people", token: f.tokens[.officer]!, body: body)
            #expect(response.status == .created, "\(String(buffer: response.body))")
            let person = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: response.body).utf8)).objectValue ?? [:]
            #expect(person["identityStatus"] == .string("none"))
            #expect(person["identityNumber"] == nil)
        }
    }

    @Test("/openapi.json lists the registry's paths under /api/v1/registry and the audit route")
    func openAPI() async throws {
        let f = try await AccessFixture.make()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            let document = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: response.body).utf8))
            let paths = document.objectValue?["paths"]?.objectValue ?? [:]
            #expect(paths["/api/v1/registry/people/{id}"] != nil)
            #expect(paths["/api/v1/audit"] != nil)
            #expect(paths.keys.allSatisfy { $0 == "/health" || $0.hasPrefix("/api/v1/") })
        }
    }
}
