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

/// Cookies and transport security (issue 19, point 10): `http.secureCookies` is on unless the host
/// listens on a loopback address; then every cookie is `__Host-` prefixed and `Secure`, and every
/// response carries HSTS. The sign-in form's token is always one the host made and signed.
@Suite("Secure cookies, HSTS and the sign-in token")
struct SecureCookieTests {
    /// A migrated runtime listening (in its configuration) on every address, with an officer who
    /// can sign in.
    static func publicRuntime() async throws -> HostRuntime {
        let url = try await TestPostgres.makeDatabaseURL()
        let yaml = HostFixture.yaml(url: url, features: "").replacingOccurrences(of: "http:\n", with: "http:\n  host: 0.0.0.0\n")
        return try await HostFixture.officerRuntime(yaml: yaml, url: url)
    }

    @Test("secure cookies are on by default, off only for a loopback listen address, and can be set either way")
    func defaults() throws {
        for (host, secure) in [
            ("0.0.0.0", true), ("10.1.2.3", true), ("kooperator.example", true), ("::", true), ("127.0.0.1", false),
            ("127.1.2.3", false), ("localhost", false), ("::1", false),
        ] {
            let (configuration, problems) = try HostFixture.configuration("http:\n  host: \"\(host)\"")
            #expect(problems.isEmpty)
            #expect(configuration?.host.http.secureCookies == secure, "\(host)")
        }
        #expect(try HostFixture.configuration("http:\n  host: 0.0.0.0\n  secureCookies: false").0?.host.http.secureCookies == false)
        #expect(try HostFixture.configuration("http:\n  secureCookies: true").0?.host.http.secureCookies == true)
        #expect(try HostFixture.configuration("").0?.host.http.secureCookies == false, "the default listen address is loopback")
    }

    @Test("with secure cookies every cookie is __Host- and Secure, every response has HSTS, and a plain-named cookie is ignored")
    func secureCookies() async throws {
        let runtime = try await Self.publicRuntime()
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = PageBrowser(client)
            let login = try await browser.get("/login")
            #expect(login.headers[.strictTransportSecurity] == "max-age=31536000")
            let signInCookie = try #require(login.headers[values: .setCookie].first)
            #expect(signInCookie.hasPrefix("__Host-kooperator_signin="), "\(signInCookie)")
            #expect(signInCookie.contains("; Secure") && signInCookie.contains("Path=/") && !signInCookie.contains("Domain"))
            let signedIn = try await browser.post("/login", [("username", "user-officer"), ("password", HostFixture.pagePassword), ("next", "/")])
            #expect(signedIn.status == .seeOther)
            let session = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("__Host-kooperator_session=") })
            #expect(session.contains("; Secure") && session.contains("Path=/") && session.contains("HttpOnly"))
            #expect(signedIn.headers[values: .setCookie].allSatisfy { $0.hasPrefix("__Host-") })
            let start = try await browser.get("/")
            #expect(start.status == .ok)
            #expect(start.headers[.strictTransportSecurity] != nil)
            // The same session under its plain name (as a neighbouring host could set it) is not read.
            let value = try #require(browser.cookies["__Host-kooperator_session"])
            var plain = PageBrowser(client)
            plain.cookies = ["kooperator_session": value]
            let refused = try await plain.get("/")
            #expect(refused.status == .seeOther)
            #expect(refused.location == "/login")
            // The API's answers carry HSTS too.
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.headers[.strictTransportSecurity] == "max-age=31536000")
        }
    }

    @Test("on a loopback host cookies keep their plain names and there is no HSTS")
    func loopback() async throws {
        let f = try await PageTests.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            let login = try await client.execute(uri: "/login", method: .get)
            #expect(login.headers[.strictTransportSecurity] == nil)
            #expect(login.headers[values: .setCookie].first?.hasPrefix("kooperator_signin=") == true)
            #expect(login.headers[values: .setCookie].first?.contains("Secure") == false)
        }
    }

    @Test("the sign-in token is made by the host: a planted cookie is replaced, and a post with a token of its own is refused")
    func plantedSignInToken() async throws {
        let f = try await PageTests.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            let planted = "kop_planted-by-someone-else"
            var browser = PageBrowser(client)
            browser.cookies[WebController.signInCookie] = planted
            let login = try await browser.get("/login")
            #expect(login.hidden("_csrf") != planted)
            #expect(browser.cookies[WebController.signInCookie] != planted)
            #expect(browser.cookies[WebController.signInCookie] == login.hidden("_csrf"))
            // An attacker who set the cookie and posts the same value in the form gets nowhere.
            var attacker = PageBrowser(client)
            attacker.cookies[WebController.signInCookie] = planted
            let forged = try await attacker.send(
                .post,
                "/login",
                form: [("username", "user-officer"), ("password", HostFixture.pagePassword), ("next", "/"), ("_csrf", planted)]
            )
            #expect(forged.status == .forbidden)
            #expect(attacker.cookies[SessionStore.cookieName] == nil)
            // The host's own token works.
            let signedIn = try await browser.post("/login", [("username", "user-officer"), ("password", HostFixture.pagePassword), ("next", "/")])
            #expect(signedIn.status == .seeOther)
            #expect(browser.cookies[SessionStore.cookieName] != nil)
        }
    }
}
