import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PluginKit
import Testing

@testable import Host

/// The route walk derived from the router itself: every route Hummingbird registered, with every
/// feature on, so a route added later is walked without anyone adding it to a list.
@Suite("Every registered route is walked")
struct RouteWalkTests {
    /// Pages anyone may open without signing in. (`/metrics` is not among them: it has a listener of
    /// its own, `metrics.address`, and the public port answers 404 for it.)
    static let publicPages: Set<String> = ["GET /login", "POST /login", "GET /language", "GET /health", "GET /openapi.json"]

    /// `GET /registry/organisations/{}`: the method and the path with each capture as `{}`.
    static func key(_ method: HTTPRequest.Method, _ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") || part.hasPrefix("{") ? "{}" : String(part)
        }
        return "\(method.rawValue) \(parts.joined(separator: "/"))"
    }

    @Test(
        "every API route the router holds is in /openapi.json and every documented operation is routed; every page route sends a signed-out browser to the sign-in page and answers every role without a server error"
    )
    func everyRoute() async throws {
        let (runtime, _) = try await HostFixture.demoRuntime()
        let routes = try buildRouter(runtime: runtime).routes.map { (method: $0.method, path: $0.path.description) }
        try await buildApplication(runtime: runtime).test(.router) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            let document = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: response.body).utf8))
            var documented: Set<String> = []
            for (path, item) in document.objectValue?["paths"]?.objectValue ?? [:] {
                for method in (item.objectValue ?? [:]).keys {
                    if let method = HTTPRequest.Method(method.uppercased()) { documented.insert(Self.key(method, path)) }
                }
            }
            let api = Set(routes.filter { $0.path.hasPrefix("/api/v1/") }.map { Self.key($0.method, $0.path) })
            #expect(api.subtracting(documented).isEmpty, "routed but not in /openapi.json: \(api.subtracting(documented).sorted())")
            let documentedAPI = documented.filter { $0.contains(" /api/v1/") }
            #expect(documentedAPI.subtracting(api).isEmpty, "documented but not routed: \(documentedAPI.subtracting(api).sorted())")
            // The hand-written role × operation walks cover exactly the documents (their
            // `walkCoversOpenAPI` tests), so with the above they cover every API route too.

            let pages = routes.filter { !$0.path.hasPrefix("/api/") && !$0.path.hasPrefix("/static") }
            #expect(pages.count > 25, "the router holds \(pages.count) page routes")
            var signedOut = PageBrowser(client)
            for route in pages where !Self.publicPages.contains(Self.key(route.method, route.path)) {
                let path = Self.key(.get, route.path).dropFirst(4).replacingOccurrences(of: "{}", with: "1")
                let page = try await signedOut.send(route.method, path, form: route.method == .post ? [] : nil)
                if route.method == .get {
                    #expect(page.status == .seeOther && page.location?.hasPrefix("/login") == true, "signed out: GET \(route.path) → \(page.status)")
                } else {
                    #expect(
                        [.seeOther, .forbidden, .unauthorized].contains(page.status),
                        "signed out: \(route.method) \(route.path) → \(page.status)"
                    )
                }
            }
            for role in Role.walked(in: runtime) {
                var browser = PageBrowser(client)
                try await browser.signIn("user-\(role)", password: HostFixture.pagePassword)
                for route in pages where route.method == .get {
                    let path = Self.key(.get, route.path).dropFirst(4).replacingOccurrences(of: "{}", with: "1")
                    let page = try await browser.get(path)
                    #expect(page.status.code < 500, "\(role): GET \(path) → \(page.status)")
                }
            }
        }
    }
}
