import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import PluginKit
import Registry
import Supervision
import TestSupport
import Testing

@testable import Host

@Suite("HTTP errors")
struct HTTPErrorTests {
    func problem(_ response: TestResponse) throws -> Problem {
        #expect(response.headers[.contentType] == "application/problem+json")
        return try JSONDecoder().decode(Problem.self, from: Data(String(buffer: response.body).utf8))
    }

    func post(_ client: some TestClientProtocol, _ body: String, contentType: String = "application/json") async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/notes", method: .post, headers: [.contentType: contentType], body: ByteBuffer(string: body))
    }

    @Test("bad input gets a 4xx problem body, never a 500")
    func badInput() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let runtime = try HostFixture.runtime(url: url)
        try await runtime.migrate()
        try await buildApplication(runtime: runtime).test(.router) { client in
            let malformed = try await post(client, #"{"body": "#)
            #expect(malformed.status == .badRequest)
            #expect(try problem(malformed).status == 400)

            let wrongShape = try await post(client, #"{"text": "no body key"}"#)
            #expect(wrongShape.status == .badRequest)
            #expect(try problem(wrongShape).detail.contains("body"))

            let wrongType = try await post(client, "body=x", contentType: "application/x-www-form-urlencoded")
            #expect(wrongType.status == .unsupportedMediaType)
            #expect(try problem(wrongType).detail.contains("application/json"))

            let unknown = try await client.execute(uri: "/api/v1/nowhere", method: .get)
            #expect(unknown.status == .notFound)
            let unknownProblem = try problem(unknown)
            #expect(unknownProblem.requestId == unknown.headers[HTTPField.Name("X-Request-ID")!])

            let oversized = try await post(client, #"{"body": ""# + String(repeating: "x", count: 5000) + #""}"#)
            #expect(oversized.status == .contentTooLarge)
            #expect(try problem(oversized).status == 413)

            let notANumber = try await client.execute(uri: "/api/v1/notes/abc", method: .get)
            #expect(notANumber.status == .badRequest)

            let missing = try await client.execute(uri: "/api/v1/notes/999999", method: .get)
            #expect(missing.status == .notFound)
            #expect(try problem(missing).detail == "no note 999999")

            let tooLong = try await post(client, #"{"body": ""# + String(repeating: "y", count: 600) + #""}"#)
            #expect(tooLong.status == .unprocessableContent)
            #expect(try problem(tooLong).pointer == "/body")
        }
        await runtime.shutdown()
    }

    @Test("an unknown path asked for by a browser is the HTML 404 page in the reader's language; an API client gets the problem")
    func unknownPageForBrowsers() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let runtime = try HostFixture.runtime(url: url)
        try await runtime.migrate()
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        try await buildApplication(runtime: runtime).test(.router) { client in
            let swedish = try await client.execute(uri: "/no/such/page", method: .get, headers: [.accept: browser])
            #expect(swedish.status == .notFound)
            #expect(swedish.headers[.contentType]?.hasPrefix("text/html") == true)
            let page = String(buffer: swedish.body)
            #expect(page.contains("Sidan finns inte"))
            #expect(page.contains("Det finns ingen sida på den adressen"))
            #expect(page.contains(#"<html lang="sv""#))
            #expect(swedish.headers[.requestID] != nil)
            #expect(swedish.headers[.xFrameOptions] == "DENY")

            let english = try await client.execute(
                uri: "/registry/nowhere",
                method: .get,
                headers: [.accept: browser, .cookie: "\(LanguageCookie.name)=en"]
            )
            #expect(english.status == .notFound)
            #expect(String(buffer: english.body).contains("Page not found"))
            #expect(String(buffer: english.body).contains("There is no page at that address"))

            // API clients: no Accept, a JSON Accept, and any path under /api/ keep the problem.
            for (path, accept) in [("/no/such/page", nil), ("/no/such/page", "application/json"), ("/api/v1/nowhere", browser)] {
                var headers: HTTPFields = [:]
                if let accept { headers[.accept] = accept }
                let response = try await client.execute(uri: path, method: .get, headers: headers)
                #expect(response.status == .notFound, "\(path) \(accept ?? "-")")
                #expect(try problem(response).status == 404, "\(path) \(accept ?? "-")")
            }
        }
        await runtime.shutdown()
    }

    @Test("a path parameter's limit holds for its decoded value: 30 characters of 'å' (180 encoded) are within 63, 64 are not")
    func pathParametersDecoded() async throws {
        let runtime = try await HostFixture.accessRuntime(features: "notes: { enabled: true }", plugins: [NotesPlugin.self])
        _ = try await runtime.users.add(name: "admin", displayName: nil, role: .admin, organisationID: nil, actor: .system)
        let token = try await runtime.users.issueToken(user: "admin", days: 1, label: nil, actor: .system).1
        try await buildApplication(runtime: runtime).test(.router) { client in
            let encoded = String(repeating: "%C3%A5", count: 30)
            let within = try await client.execute(uri: "/api/v1/users/\(encoded)", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(within.status == .notFound, "no such user, but not a malformed path")
            let beyond = try await client.execute(
                uri: "/api/v1/users/\(String(repeating: "a", count: 64))",
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            #expect(beyond.status == .badRequest)
            #expect(try problem(beyond).detail.contains("at most 63"))
        }
        await runtime.shutdown()
    }

    @Test(
        "generated routes: another method on a documented path is 405 with Allow, an empty query parameter is absent, a bad one 422 naming it, a body over the limit 413, a wrongly typed field 400 naming it, a broken schema limit 422 naming each field"
    )
    func generatedRoutes() async throws {
        let runtime = try await HostFixture.accessRuntime(features: "supervision: { enabled: true }", plugins: [SupervisionPlugin.self])
        _ = try await runtime.users.add(name: "officer", displayName: nil, role: .officer, organisationID: nil, actor: .system)
        let token = try await runtime.users.issueToken(user: "officer", days: 1, label: nil, actor: .system).1
        let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        try await buildApplication(runtime: runtime).test(.router) { client in
            let trace = try await client.execute(uri: "/api/v1/audit", method: .trace, headers: auth)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "GET")
            #expect(try problem(trace).status == 405)
            let delete = try await client.execute(uri: "/api/v1/supervision/goals/1", method: .delete, headers: auth)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "GET")
            #expect(try await client.execute(uri: "/api/v1/supervision/nowhere", method: .get, headers: auth).status == .notFound)
            // A literal path beside a captured one (`/people/lookup`, `/people/{id}`) allows its own methods only.
            for method in [HTTPRequest.Method.patch, .options] {
                let lookup = try await client.execute(uri: "/api/v1/registry/people/lookup", method: method, headers: auth)
                #expect(lookup.status == .methodNotAllowed, "\(method)")
                #expect(lookup.headers[.allow] == "POST", "\(method)")
            }

            let empty = try await client.execute(uri: "/api/v1/supervision/assignments?cursor=&limit=", method: .get, headers: auth)
            #expect(empty.status == .ok)
            let badLimit = try await client.execute(uri: "/api/v1/supervision/assignments?limit=abc", method: .get, headers: auth)
            #expect(badLimit.status == .unprocessableContent)
            #expect(try problem(badLimit).pointer == "limit")

            let big = #"{"cooperativeId": 1, "title": ""# + String(repeating: "x", count: 5000) + #""}"#
            let oversized = try await client.execute(uri: "/api/v1/supervision/goals", method: .post, headers: auth, body: ByteBuffer(string: big))
            #expect(oversized.status == .contentTooLarge)
            let wrongType = try await client.execute(
                uri: "/api/v1/supervision/goals",
                method: .post,
                headers: auth,
                body: ByteBuffer(string: #"{"cooperativeId": 1, "title": 5}"#)
            )
            #expect(wrongType.status == .badRequest)
            #expect(try problem(wrongType).pointer == "/title")
            // The document's limits are the host's: maxLength, multipleOf and maximum, each at its field.
            let pot =
                #"{"cooperativeId": 1, "purpose": ""# + String(repeating: "p", count: 201)
                + #"", "amount": 10.005, "sharePercent": 150, "from": "2016-01-01", "to": "2016-12-31"}"#
            let limits = try await client.execute(uri: "/api/v1/supervision/pots", method: .post, headers: auth, body: ByteBuffer(string: pot))
            #expect(limits.status == .unprocessableContent)
            let refused = try problem(limits)
            #expect(Set(refused.errors?.map(\.pointer) ?? []) == ["/purpose", "/amount", "/sharePercent"])
            #expect(refused.errors?.first { $0.pointer == "/sharePercent" }?.detail == "must be at most 100, not 150")

            // Content negotiation: no Accept header means JSON; Accept: text/csv or format=csv a download.
            let json = try await client.execute(
                uri: "/api/v1/supervision/report/hours",
                method: .get,
                headers: [.authorization: auth[.authorization] ?? ""]
            )
            #expect(json.headers[.contentType]?.hasPrefix("application/json") == true)
            var asCSV = auth
            asCSV[.accept] = "text/csv"
            let csv = try await client.execute(uri: "/api/v1/supervision/report/hours", method: .get, headers: asCSV)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"supervision-hours-") == true)
            // `*/*` (curl's default) accepts anything, as no Accept does: JSON.
            var anything = auth
            anything[.accept] = "*/*"
            let any = try await client.execute(uri: "/api/v1/supervision/report/hours", method: .get, headers: anything)
            #expect(any.status == .ok && any.headers[.contentType]?.hasPrefix("application/json") == true)

            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            #expect(health.headers[.cacheControl] == "no-store")
        }
        await runtime.shutdown()
    }

    @Test("constraint violations map to 409 and 422 with the constraint named, not the value")
    func constraintViolations() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let runtime = try HostFixture.runtime(url: url)
        try await runtime.migrate()
        try await buildApplication(runtime: runtime).test(.router) { client in
            #expect(try await post(client, #"{"body": "first", "slug": "secret-slug"}"#).status == .created)
            let duplicate = try await post(client, #"{"body": "second", "slug": "secret-slug"}"#)
            #expect(duplicate.status == .conflict)
            let detail = try problem(duplicate).detail
            #expect(detail.contains("notes_slug_key"))
            #expect(!detail.contains("secret-slug"))

            let empty = try await post(client, #"{"body": ""}"#)
            #expect(empty.status == .unprocessableContent)
            #expect(try problem(empty).detail.contains("body_not_empty"))
        }
        await runtime.shutdown()
    }

    @Test("with the database stopped as by a crash, requests get 503 and /health says degraded; once it is back, the same host serves")
    func databaseDown() async throws {
        let cluster = try await offload { try PrivateCluster() }
        defer { cluster.remove() }
        let runtime = try HostFixture.runtime(url: cluster.url)
        try await runtime.migrate()
        try await buildApplication(runtime: runtime).test(.router) { client in
            #expect(try await post(client, #"{"body": "before"}"#).status == .created)
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)

            // As a crash would: every connection cut, no checkpoint.
            try await offload { try cluster.server.stop(immediately: true) }
            let down = try await client.execute(uri: "/api/v1/notes/1", method: .get)
            #expect(down.status == .serviceUnavailable)
            #expect(try problem(down).detail.contains("database is unavailable"))
            #expect(down.headers[.retryAfter] != nil)
            #expect(try await post(client, #"{"body": "while down"}"#).status == .serviceUnavailable)
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .serviceUnavailable)
            let report = try JSONDecoder().decode(HealthController.Report.self, from: Data(String(buffer: health.body).utf8))
            #expect(report.status == "degraded")
            #expect(report.reason?.contains("the database is unavailable") == true)
            #expect(report.database.status == "down")
            #expect(report.features["notes"]?.status == "degraded")

            _ = try await offload { try cluster.server.start(logger: TestPostgres.logger) }
            let back = try await client.execute(uri: "/api/v1/notes/1", method: .get)
            #expect(back.status == .ok)
            #expect(try await post(client, #"{"body": "after"}"#).status == .created)
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
        await runtime.shutdown()
    }

    @Test("/metrics is served on its own listener (request counts, pool gauges), and the public port answers 404 for it")
    func metrics() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let runtime = try HostFixture.runtime(url: url)
        try await runtime.migrate()
        let application = try buildApplication(runtime: runtime)
        #expect(application.services.contains { $0 is MetricsListener }, "the metrics listener is a service of the host")
        try await application.test(.router) { client in
            _ = try await client.execute(uri: "/health", method: .get)
            let onPublicPort = try await client.execute(uri: "/metrics", method: .get)
            #expect(onPublicPort.status == .notFound)
            #expect(!String(buffer: onPublicPort.body).contains("kooperator_db_pool"))
        }
        let listener = try #require(buildMetricsApplication(runtime: runtime))
        try await listener.test(.live) { client in
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            let text = String(buffer: metrics.body)
            #expect(text.contains("kooperator_db_pool_size_connections 4"))
            #expect(text.contains("http_server_request_duration_bucket"))
            #expect(text.contains("hb_requests"))
            // The listener serves the metrics and nothing else.
            #expect(try await client.execute(uri: "/health", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/login", method: .get).status == .notFound)
        }
        await runtime.shutdown()
    }

    @Test("metrics.address: loopback by default, empty for none, host:port checked, never the public port")
    func metricsAddress() throws {
        let shipped = try #require(try HostFixture.configuration("").0)
        #expect(shipped.host.metrics == .init(host: "127.0.0.1", port: 9464))
        #expect(try HostFixture.configuration("metrics:\n  address: \"\"").0?.host.metrics.host == nil)
        #expect(try HostFixture.configuration("metrics:\n  address: \"[::1]:9100\"").0?.host.metrics == .init(host: "::1", port: 9100))
        for wrong in ["9464", "localhost", "127.0.0.1:99999", "::1:9464", "127.0.0.1:8080"] {
            let problems = try HostFixture.configuration("metrics:\n  address: \"\(wrong)\"").1
            #expect(problems.contains { $0.keyPath == "metrics.address" }, "\(wrong): \(problems)")
        }
    }
}
