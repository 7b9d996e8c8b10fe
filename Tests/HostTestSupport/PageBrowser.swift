package import DataAccess
package import Foundation
package import HTTPTypes
package import Hummingbird
package import HummingbirdTesting
package import NIOCore
package import PluginKit
package import Registry
package import TestSupport
package import Testing

@testable package import Host

/// A browser in a page test: it keeps the cookies the host sets, signs in through the real
/// sign-in form, and posts forms with the CSRF and double-submit tokens of the page it last saw,
/// as a person at a browser would.
package struct PageBrowser {
    package let client: any TestClientProtocol
    /// The cookies by name.
    package var cookies: [String: String] = [:]
    /// The last page's body.
    package var lastPage = ""
    /// Headers sent with every request (`X-Forwarded-For` through a trusted proxy, say).
    package var extraHeaders: HTTPFields = [:]

    package init(_ client: any TestClientProtocol) { self.client = client }

    /// A response as a test reads it.
    package struct Page {
        package let status: HTTPResponse.Status
        package let headers: HTTPFields
        package let body: String

        /// Where a redirect leads.
        package var location: String? { headers[.location] }

        /// The value of the first hidden input named `name`.
        package func hidden(_ name: String) -> String? {
            guard let range = body.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(body[range.upperBound...].prefix { $0 != "\"" })
        }

        /// The text of `<main>` without tags (for "the page says …" checks).
        package var mainText: String {
            guard let start = body.range(of: "<main"), let end = body.range(of: "</main>") else { return body }
            return String(body[start.lowerBound..<end.lowerBound]).replacing(/<[^>]+>/, with: " ").replacing(/\s+/, with: " ")
        }
    }

    /// Sends a request with the cookies and keeps the ones the response sets.
    package mutating func send(_ method: HTTPRequest.Method, _ path: String, form: [(String, String)]? = nil) async throws -> Page {
        guard let form else { return try await send(method, path, body: nil, contentType: nil) }
        let body = ByteBuffer(string: form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&"))
        return try await send(method, path, body: body, contentType: "application/x-www-form-urlencoded")
    }

    /// Sends a request with a body of `contentType` and the cookies, and keeps the ones the response sets.
    package mutating func send(_ method: HTTPRequest.Method, _ path: String, body: ByteBuffer?, contentType: String?) async throws -> Page {
        var headers = extraHeaders
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let name = String(pair[0])
            if pair[1].isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = String(pair[1]) }
        }
        let page = Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
        if response.headers[.contentType]?.hasPrefix("text/html") == true { lastPage = page.body }
        return page
    }

    /// `GET path`.
    package mutating func get(_ path: String) async throws -> Page { try await send(.get, path) }

    /// Posts a form with the CSRF token (and a fresh `_once` token unless given) of the last
    /// page; `csrf: false` leaves the token out.
    package mutating func post(_ path: String, _ fields: [(String, String)], csrf: Bool = true, once: String? = nil) async throws -> Page {
        let last = Page(status: .ok, headers: [:], body: lastPage)
        var form = fields
        if csrf, let token = last.hidden("_csrf") { form.append(("_csrf", token)) }
        form.append(("_once", once ?? UUID().uuidString))
        return try await send(.post, path, form: form)
    }

    /// Posts a form with a file as `multipart/form-data`, as a browser does for `<input type=file>`,
    /// with the CSRF token and a fresh `_once` token of the last page.
    package mutating func upload(
        _ path: String,
        _ fields: [(String, String)] = [],
        file: (field: String, filename: String, bytes: [UInt8])
    ) async throws -> Page {
        let last = Page(status: .ok, headers: [:], body: lastPage)
        var form = fields
        if let token = last.hidden("_csrf") { form.append(("_csrf", token)) }
        form.append(("_once", UUID().uuidString))
        let boundary = "----KooperatorTestBoundary\(UUID().uuidString)"
        var body = ByteBuffer()
        for (name, value) in form {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        body.writeBytes(file.bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        return try await send(.post, path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// Signs in through `/login`; the test fails when the host does not answer with the start page.
    package mutating func signIn(_ name: String, password: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        _ = try await get("/login")
        let answer = try await post("/login", [("username", name), ("password", password), ("next", "/")])
        #expect(answer.status == .seeOther, "sign-in of \(name) answered \(answer.status)", sourceLocation: sourceLocation)
        #expect(cookies[SessionStore.cookieName] != nil, sourceLocation: sourceLocation)
    }

    package static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}

extension HostFixture {
    /// The password every page-test user gets.
    package static let pagePassword = "correct horse battery staple"

    /// A migrated runtime from a config text, with the identity key verified and one officer
    /// (`user-officer`) who signs in with ``pagePassword``; fails the test when the config has problems.
    package static func officerRuntime(yaml: String, url: String) async throws -> HostRuntime {
        let (loaded, problems) = try configuration(yaml)
        let configuration = try #require(loaded, "\(problems)")
        #expect(problems.isEmpty, "\(problems)")
        let database = Database(configuration: configuration.host.databaseConfiguration(url: url), logger: TestPostgres.logger)
        let runtime = try HostRuntime(configuration: configuration, database: database, logger: TestPostgres.logger, vault: testVault)
        try await runtime.migrate()
        try await runtime.registry.verifyKey()
        _ = try await runtime.users.add(name: "user-officer", displayName: nil, role: .officer, organisationID: nil, actor: .system)
        try await runtime.users.setPassword(user: "user-officer", password: pagePassword, actor: .system)
        return runtime
    }
}
