import Foundation
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PageKit
import PluginKit
import Testing

@testable import Host

/// A `next=` never leads off the host, however it is spelt: browsers drop tabs and line breaks
/// from a `Location` and read a backslash as a slash (issue 19, point 5).
@Suite("Open redirect: next= stays on the host")
struct OpenRedirectTests {
    /// `next=` values, as sent in a query, that a browser would follow to another host.
    static let hostile = [
        "/%09/evil.example", "/%0A/evil.example", "/%0D%0A/evil.example", "/%5Cevil.example", "/%5C%5Cevil.example",
        "/%2F/evil.example", "/%252F/evil.example", "/%255Cevil.example", "%20//evil.example", "/%20/evil.example",
        "/%00/evil.example", "/%E2%80%8B/evil.example",
    ]

    @Test("the language switch and the sign-in page send a hostile next= home")
    func hostileNext() async throws {
        let f = try await PageTests.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            for next in Self.hostile {
                var browser = PageBrowser(client)
                let switched = try await browser.get("/language?lang=en&next=\(next)")
                #expect(switched.status == .seeOther)
                #expect(switched.location == "/", "\(next) led to \(switched.location ?? "nowhere")")
                let login = try await browser.get("/login?next=\(next)")
                #expect(login.hidden("next") == "/", "\(next) kept as \(login.hidden("next") ?? "nothing")")
                let decoded = try #require(next.removingPercentEncoding)
                let signedIn = try await browser.post(
                    "/login",
                    [("username", "user-officer"), ("password", HostFixture.pagePassword), ("next", decoded)]
                )
                #expect(signedIn.status == .seeOther)
                #expect(signedIn.location == "/", "\(next) led to \(signedIn.location ?? "nowhere")")
            }
        }
    }

    @Test("a local path with a query still leads back to itself")
    func localNext() async throws {
        let f = try await PageTests.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            let switched = try await browser.get("/language?lang=en&next=/registry/organisations%3Fq%3Dcaf%2520x")
            #expect(switched.location == "/registry/organisations?q=caf%20x")
        }
    }

    @Test("LocalPath refuses control characters, whitespace and backslashes anywhere")
    func refusedCharacters() {
        for hostile in ["/\t/evil.example", "/\n/evil.example", "/a\u{0B}b", "/a b", "/a\u{00A0}b", "/a\u{200B}b", "/a\u{2028}b", "/x?y=\\", "/x?\t"]
        {
            #expect(LocalPath.safe(hostile) == "/", "\(hostile.debugDescription)")
        }
        #expect(LocalPath.safe("/registry/people?q=a%2Fb") == "/registry/people?q=a%2Fb", "an encoded slash in the query is data")
    }
}
