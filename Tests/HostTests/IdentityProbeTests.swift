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

/// Issue 19.9: a supervisor must not learn, one guess after another, who is registered. Each
/// "already registered" answer about a person outside its reach is audited and counted in the
/// database; past `security.identityProbesPerHour` (10) every write with a number is 429.
@Suite("Identity-number probes: limited and audited for scoped users")
struct IdentityProbeTests {
    @Test(
        "a supervisor gets 10 'already registered' answers about people outside its reach in an hour, each audited; then 429 with Retry-After for any number, a new one too; the officer is not limited"
    )
    func probesAreLimited() async throws {
        let runtime = try await HostFixture.accessRuntime(features: "notes: { enabled: true }", plugins: [NotesPlugin.self])
        let (provider, own) = try await runtime.database.transaction { tx in
            let provider = try runtime.registry.createOrganisation(
                OrganisationDraft(name: "Paraplyföreningen", legalForm: .nonProfitAssociation, kind: .socialEconomyOrganisation, state: .active),
                actor: .system,
                in: tx
            ).id
            // Registered elsewhere: an ESF participant with no role in the supervisor's organisations.
            _ = try runtime.registry.createPerson(
                PersonDraft(name: "Amina", identityNumber: "19800110-3004"),
                today: .today(),
                reach: .everything,
                actor: .system,
                in: tx
            )
            let own = try runtime.registry.createPerson(
                PersonDraft(
                    name: "Egen",
                    roles: [RoleAssignment(organisationId: provider, role: .cooperator, from: LocalDate(year: 2016, month: 1, day: 1)!)]
                ),
                today: .today(),
                reach: .everything,
                actor: .system,
                in: tx
            ).id
            return (provider, own)
        }
        let tokens = try await HostFixture.tokensPerRole(runtime, provider: provider)
        let probes: SQL = "SELECT count(*) AS n FROM registry.identity_probes"
        let audited: SQL = "SELECT count(*) AS n FROM kernel.audit_log WHERE action LIKE 'identity number probe%' AND actor = 'user-supervisor'"
        try await buildApplication(runtime: runtime).test(.router) { client in
            func send(_ method: HTTPRequest.Method, _ path: String, _ body: String, as role: Role, key: String? = nil) async throws -> TestResponse {
                var headers: HTTPFields = [.authorization: "Bearer \(tokens[role]!)", .contentType: "application/json"]
                if let key { headers[.idempotencyKey] = key }
                return try await client.execute(uri: "/api/v1/registry/" + path, method: method, headers: headers, body: ByteBuffer(string: body))
            }
            func create(_ number: String, as role: Role = .supervisor, key: String? = nil) async throws -> TestResponse {
                let body =
                    #"{"name": "Gissning", "identityNumber": "\#(number)", "roles": [{"organisationId": \#(provider), "role": "cooperator", "from": "2016-01-01"}]}"#
                return try await send(.post, "people", body, as: role, key: key)
            }
            // One probe by changing a person of its own, nine by registering: the last four with an
            // Idempotency-Key, whose failed request rolls back all it wrote but the count.
            #expect(try await send(.patch, "people/\(own)", #"{"identityNumber": "19800110-3004"}"#, as: .supervisor).status == .conflict)
            for attempt in 1...9 { #expect(try await create("19800110-3004", key: attempt > 5 ? "probe-\(attempt)" : nil).status == .conflict) }
            #expect(try await HostFixture.count(runtime, probes) == 10)
            #expect(try await HostFixture.count(runtime, audited) == 10, "each answer audited")
            // Over the limit: 429 before anything is looked up, so a number nobody has answers the same.
            for number in ["19800110-3004", "19810211-3019"] {
                let refused = try await create(number)
                #expect(refused.status == .tooManyRequests, "\(number)")
                #expect(refused.headers[.contentType] == "application/problem+json")
                let wait = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
                #expect((1...3600).contains(wait))
                let problem = try JSONDecoder().decode(Problem.self, from: Data(String(buffer: refused.body).utf8))
                #expect(problem.type == "urn:kooperator:problem:too-many-requests")
                #expect(problem.status == 429)
            }
            let patched = try await send(.patch, "people/\(own)", #"{"identityNumber": "19810211-3019"}"#, as: .supervisor)
            #expect(patched.status == .tooManyRequests)
            #expect(try await HostFixture.count(runtime, "SELECT count(*) AS n FROM registry.people WHERE name = 'Gissning'") == 0)
            // A write without a number is not limited.
            #expect(try await send(.patch, "people/\(own)", #"{"name": "Egen Namn"}"#, as: .supervisor).status == .ok)
            // The officer sees everyone: its conflicts tell nothing new and are neither limited nor counted.
            for _ in 1...11 { #expect(try await create("19800110-3004", as: .officer).status == .conflict) }
            #expect(try await HostFixture.count(runtime, probes) == 10)
        }
        await runtime.shutdown()
    }
}
