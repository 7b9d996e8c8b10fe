import DataAccess
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

/// Issue 24.3: a write sent with an `Idempotency-Key` is done once per caller and key; a repeat
/// gets the stored answer, a repeat with another body 422, and the key is stored in the write's
/// own transaction, so two concurrent repeats write once.
@Suite("Idempotency keys: safe retries of writes")
struct IdempotencyTests {
    struct Fixture {
        let runtime: HostRuntime
        let url: String
        let first: String
        let second: String
    }

    static func fixture() async throws -> Fixture {
        let url = try await TestPostgres.makeDatabaseURL()
        let runtime = try HostFixture.runtime(url: url, extra: "security:\n  tokenCacheSeconds: 0")
        try await runtime.migrate()
        var tokens: [String] = []
        for name in ["officer-one", "officer-two"] {
            _ = try await runtime.users.add(name: name, displayName: nil, role: .officer, organisationID: nil, actor: .system)
            tokens.append(try await runtime.users.issueToken(user: name, days: 1, label: nil, actor: .system).1)
        }
        return Fixture(runtime: runtime, url: url, first: tokens[0], second: tokens[1])
    }

    static func create(
        _ client: some TestClientProtocol,
        name: String,
        token: String,
        key: String?
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        if let key { headers[.idempotencyKey] = key }
        let body = #"{"name": "\#(name)", "legalForm": "economicAssociation", "kind": "cooperative"}"#
        return try await client.execute(uri: "/api/v1/registry/organisations", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func organisations(_ runtime: HostRuntime, named name: String) async throws -> [Int] {
        let row = try await runtime.database.query(
            """
            SELECT (SELECT count(*) FROM registry.organisations WHERE name = \(name)) AS rows,
                   (SELECT count(*) FROM kernel.audit_log WHERE feature = 'registry' AND entity = 'organisation' AND action = 'create'
                                                          AND after->>'name' = \(name)) AS audited
            """
        ).single()
        return [try row.decode("rows"), try row.decode("audited")]
    }

    static func problem(_ response: TestResponse) throws -> Problem {
        #expect(response.headers[.contentType] == "application/problem+json")
        return try JSONDecoder().decode(Problem.self, from: Data(String(buffer: response.body).utf8))
    }

    @Test(
        "a repeat with the same key and body answers the first answer and writes once; another body is 422; another caller's same key is its own; an expired key writes again"
    )
    func repeats() async throws {
        let f = try await Self.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            let first = try await Self.create(client, name: "Kooperativet Ett", token: f.first, key: "retry-1")
            #expect(first.status == .created)
            #expect(first.headers[.idempotentReplayed] == nil)
            let again = try await Self.create(client, name: "Kooperativet Ett", token: f.first, key: "retry-1")
            #expect(again.status == .created)
            #expect(String(buffer: again.body) == String(buffer: first.body))
            #expect(again.headers[.location] == first.headers[.location])
            #expect(again.headers[.contentType] == first.headers[.contentType])
            #expect(again.headers[.idempotentReplayed] == "true")
            #expect(try await Self.organisations(f.runtime, named: "Kooperativet Ett") == [1, 1])

            // The same key with another body: refused, naming the header, nothing written.
            let other = try await Self.create(client, name: "Kooperativet Två", token: f.first, key: "retry-1")
            #expect(other.status == .unprocessableContent)
            let problem = try Self.problem(other)
            #expect(problem.pointer == "Idempotency-Key")
            #expect(problem.detail.contains("another request"))
            #expect(try await Self.organisations(f.runtime, named: "Kooperativet Två") == [0, 0])

            // Another caller's key of the same name is its own.
            let theirs = try await Self.create(client, name: "Kooperativet Ett", token: f.second, key: "retry-1")
            #expect(theirs.status == .created)
            #expect(theirs.headers[.idempotentReplayed] == nil)
            #expect(theirs.headers[.location] != first.headers[.location])
            #expect(try await Self.organisations(f.runtime, named: "Kooperativet Ett") == [2, 2])

            // After 24 hours the key is forgotten: the same request writes again, and is then kept anew.
            try await f.runtime.database.execute(
                "UPDATE kernel.idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'retry-1'"
            )
            let late = try await Self.create(client, name: "Kooperativet Ett", token: f.first, key: "retry-1")
            #expect(late.status == .created)
            #expect(late.headers[.location] != first.headers[.location])
            #expect(try await Self.organisations(f.runtime, named: "Kooperativet Ett") == [3, 3])
            let replayed = try await Self.create(client, name: "Kooperativet Ett", token: f.first, key: "retry-1")
            #expect(replayed.headers[.location] == late.headers[.location])
            #expect(try await Self.organisations(f.runtime, named: "Kooperativet Ett") == [3, 3])

            // The hourly removal takes only the keys past their lifetime.
            try await f.runtime.database.execute(
                "UPDATE kernel.idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = (SELECT id FROM kernel.users WHERE name = 'officer-two')"
            )
            // (The host's own hourly look may have run meanwhile, as the application's services run.)
            _ = try await f.runtime.database.transaction { tx in try IdempotentWrites.removeExpired(in: tx) }
            let left = try await f.runtime.database.query("SELECT u.name FROM kernel.idempotency_keys k JOIN kernel.users u ON u.id = k.user_id")
            #expect(try left.map { try $0.decode("name", as: String.self) } == ["officer-one"])
        }
    }

    @Test("a refused write keeps nothing, so the same key goes on to work; a malformed key is 422; GET ignores the header")
    func refusalsAndReads() async throws {
        let f = try await Self.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            let blank = try await Self.create(client, name: " ", token: f.first, key: "fix-and-retry")
            #expect(blank.status == .unprocessableContent)
            let fixed = try await Self.create(client, name: "Rättat AB", token: f.first, key: "fix-and-retry")
            #expect(fixed.status == .created)
            #expect(try await Self.organisations(f.runtime, named: "Rättat AB") == [1, 1])

            let long = try await Self.create(client, name: "För lång nyckel", token: f.first, key: String(repeating: "k", count: 256))
            #expect(long.status == .unprocessableContent)
            #expect(try Self.problem(long).pointer == "Idempotency-Key")
            #expect(try await Self.organisations(f.runtime, named: "För lång nyckel") == [0, 0])

            let location = try #require(fixed.headers[.location])
            for key in ["read-1", "read-1", String(repeating: "k", count: 300)] {
                let read = try await client.execute(
                    uri: location,
                    method: .get,
                    headers: [.authorization: "Bearer \(f.first)", .idempotencyKey: key]
                )
                #expect(read.status == .ok)
                #expect(read.headers[.idempotentReplayed] == nil)
            }
            #expect(
                try await HostFixture.count(f.runtime, "SELECT count(*) AS n FROM kernel.idempotency_keys WHERE key LIKE 'read-%' OR key LIKE 'kkk%'")
                    == 0
            )
        }
    }

    @Test("two concurrent requests with the same key write once: the second waits for the first and answers as it did")
    func concurrentRepeats() async throws {
        let f = try await Self.fixture()
        // A second pool holds a lock on the organisations, so the first request stops inside its
        // write with its key inserted, and the second stops at the key: both are in flight at once.
        let locker = Database(configuration: DatabaseConfiguration(url: f.url, poolSize: 1), logger: TestPostgres.logger)
        defer { Task { await locker.shutdown() } }
        // Every connection of the host's pool opened beforehand: on a loaded machine, opening one
        // while the test holds its lock could outlast the wait for a free connection.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = try await f.runtime.database.withConnection { try $0.execute("SELECT pg_sleep(0.2)") } } }
            try await group.waitForAll()
        }
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var requests: [Task<TestResponse, any Error>] = []
            try await locker.withTaskTransaction {
                try await locker.execute("LOCK TABLE registry.organisations IN SHARE ROW EXCLUSIVE MODE")
                for _ in 0..<2 {
                    requests.append(Task { try await Self.create(client, name: "Samtidigt AB", token: f.first, key: "twice-at-once") })
                }
                // One waits for the table lock, the other for the first one's key.
                var waiting = 0
                for _ in 0..<6000 where waiting < 2 {
                    waiting = try await locker.query(
                        "SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND pid IN (SELECT pid FROM pg_stat_activity WHERE datname = current_database())"
                    ).single().decode("n")
                    if waiting < 2 { try await Task.sleep(for: .milliseconds(10)) }
                }
                #expect(waiting == 2)
            }
            let answers = try await [requests[0].value, requests[1].value]
            #expect(answers.map(\.status) == [.created, .created])
            #expect(String(buffer: answers[0].body) == String(buffer: answers[1].body))
            #expect(answers.filter { $0.headers[.idempotentReplayed] == "true" }.count == 1)
            #expect(try await Self.organisations(f.runtime, named: "Samtidigt AB") == [1, 1])
        }
    }

    @Test("the served document names the header on every write the host reads the body of, with its 422, and on no read")
    func servedDocument() async throws {
        let f = try await Self.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            let document = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: response.body).utf8))
            let paths = try #require(document.objectValue?["paths"]?.objectValue)
            var writes = 0
            for (path, item) in paths {
                for (method, operation) in item.objectValue ?? [:] {
                    guard case .object(let fields) = operation else { continue }
                    let names: [String] =
                        if case .array(let parameters)? = fields["parameters"] {
                            parameters.compactMap { if case .string(let name)? = $0.objectValue?["name"] { name } else { nil } }
                        } else { [] }
                    let isWrite = ["post", "put", "patch"].contains(method)
                    #expect(names.contains("Idempotency-Key") == isWrite, "\(method) \(path)")
                    if isWrite {
                        writes += 1
                        #expect(fields["responses"]?.objectValue?["422"] != nil, "\(method) \(path)")
                    }
                }
            }
            #expect(writes > 5)
        }
    }

    @Test(
        "a page form's one-time token is the user's idempotency key: sent again it answers as before, with other values it is refused in the reader's language"
    )
    func formTokens() async throws {
        let f = try await AccessFixture.make()
        try await HostFixture.setPagePasswords(f.runtime)
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            _ = try await browser.get("/registry/forms/createOrganisation")
            let fields = [("name", "Dubbelklick AB"), ("legalForm", "economicAssociation"), ("kind", "cooperative")]
            let first = try await browser.post("/registry/forms/createOrganisation", fields, once: "form-token-1")
            #expect(first.status == .seeOther)
            let again = try await browser.post("/registry/forms/createOrganisation", fields, once: "form-token-1")
            #expect(again.status == .seeOther)
            #expect(again.location == first.location)
            _ = try await browser.get("/registry/forms/createOrganisation")
            let edited = try await browser.post(
                "/registry/forms/createOrganisation",
                [("name", "Ändrat AB")] + fields.dropFirst(),
                once: "form-token-1"
            )
            #expect(edited.status == .unprocessableContent)
            #expect(edited.mainText.contains("Formuläret är redan skickat, med andra uppgifter."))
            #expect(try await Self.organisations(f.runtime, named: "Dubbelklick AB") == [1, 1])
            #expect(try await Self.organisations(f.runtime, named: "Ändrat AB") == [0, 0])
            #expect(
                try await HostFixture.count(
                    f.runtime,
                    "SELECT count(*) AS n FROM kernel.idempotency_keys WHERE key = 'form:form-token-1' AND status = 303"
                )
                    == 1
            )
        }
    }
}
