import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PageKit
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Host

/// The pages over HTTP: sign-in and sessions, CSRF and double submits, forms that come back
/// filled in, the layout's navigation, the language switch, and the registry's pages for every
/// role inside and outside a supervisor's reach.
@Suite("Pages: sign-in, sessions, forms, registry pages")
struct PageTests {
    /// The access fixture with a password for each role's user.
    static func fixture() async throws -> AccessFixture {
        var fixture = try await AccessFixture.make()
        fixture.tokens = [:]
        try await HostFixture.setPagePasswords(fixture.runtime)
        return fixture
    }

    /// The kernel's targets whose refusals have texts; every feature's folder is added as found.
    static let kernelWordingFolders = ["Sources/PluginKit", "Sources/FeatureSupport", "Sources/Registry"]

    @Test("every refusal a page can show has its text in the target's catalogue", arguments: kernelWordingFolders + WordingCheck.featureFolders)
    func refusalsHaveTexts(folder: String) throws {
        // The kernel's targets name some (so the scanner works); a feature may name none.
        if Self.kernelWordingFolders.contains(folder) {
            #expect(try !WordingCheck.keys(in: folder).isEmpty, "\(folder) names its refusals' texts")
        }
        let missing = try WordingCheck.missing(in: folder)
        #expect(missing.isEmpty, "\(folder) lacks: \(missing)")
    }

    @Test("a page without a session leads to the sign-in page, and back after signing in")
    func signInRedirects() async throws {
        let f = try await Self.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            let first = try await browser.get("/registry/organisations?q=caf")
            #expect(first.status == .seeOther)
            #expect(first.location == "/login?next=/registry/organisations%3Fq%3Dcaf")
            let login = try await browser.get(first.location!)
            #expect(login.status == .ok)
            #expect(login.body.contains("<html lang=\"sv\">"))
            #expect(login.body.contains(#"<label for="f-username">Användarnamn"#))
            #expect(login.hidden("next") == "/registry/organisations?q=caf")
            let signedIn = try await browser.post(
                "/login",
                [("username", "user-officer"), ("password", HostFixture.pagePassword), ("next", "/registry/organisations?q=caf")]
            )
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.location == "/registry/organisations?q=caf")
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix(SessionStore.cookieName) })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            let list = try await browser.get("/registry/organisations?q=caf")
            #expect(list.status == .ok)
            #expect(list.mainText.contains("Café Gläntan"))
            #expect(!list.mainText.contains("Cykelverkstan"))
            // A next= that leads off the host leads home instead.
            #expect(LocalPath.safe("//evil.example/x") == "/")
            #expect(LocalPath.safe("https://evil.example/") == "/")
        }
    }

    @Test("a wrong password comes back with the name filled in and the error summarised; five lock the name")
    func wrongPassword() async throws {
        let f = try await Self.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            _ = try await browser.get("/login")
            for attempt in 1...5 {
                let refused = try await browser.post("/login", [("username", "user-officer"), ("password", "not the password \(attempt)")])
                #expect(refused.status == .unprocessableContent)
                #expect(refused.body.contains(#"value="user-officer""#))
                #expect(refused.body.contains(#"role="alert""#))
                #expect(refused.mainText.contains("Fel användarnamn eller lösenord."))
                #expect(browser.cookies[SessionStore.cookieName] == nil)
            }
            // Locked now, even with the right password; an unknown name reads the same as a wrong password.
            let locked = try await browser.post("/login", [("username", "user-officer"), ("password", HostFixture.pagePassword)])
            #expect(locked.status == .tooManyRequests)
            #expect(browser.cookies[SessionStore.cookieName] == nil)
            let unknown = try await browser.post("/login", [("username", "nobody"), ("password", HostFixture.pagePassword)])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.mainText.contains("Fel användarnamn eller lösenord."))
            // Another user is not locked.
            try await browser.signIn("user-auditor", password: HostFixture.pagePassword)
        }
    }

    @Test("a form posted without its CSRF token is refused with 403 and nothing is stored")
    func csrfRefused() async throws {
        let f = try await Self.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            // The sign-in form itself needs its token.
            _ = try await browser.get("/login")
            let noToken = try await browser.post("/login", [("username", "user-officer"), ("password", HostFixture.pagePassword)], csrf: false)
            #expect(noToken.status == .forbidden)
            #expect(browser.cookies[SessionStore.cookieName] == nil)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            _ = try await browser.get("/registry/forms/createOrganisation")
            let fields = [("name", "Förfalskad förening"), ("legalForm", "nonProfitAssociation"), ("kind", "association")]
            let refused = try await browser.post("/registry/forms/createOrganisation", fields, csrf: false)
            #expect(refused.status == .forbidden)
            #expect(refused.mainText.contains("säkerhetskod"))
            let forged = try await browser.post("/registry/forms/createOrganisation", fields + [("_csrf", "kop_forged")], csrf: false)
            #expect(forged.status == .forbidden)
            let count = try await f.runtime.database.query("SELECT count(*) AS n FROM registry.organisations WHERE name = 'Förfalskad förening'")
                .single().decode("n", as: Int.self)
            #expect(count == 0)
        }
    }

    @Test("a rejected form comes back filled in with each error at its field; a double submit makes one record")
    func formsKeepInput() async throws {
        let f = try await Self.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            _ = try await browser.get("/registry/forms/createOrganisation")
            let bad = [
                ("name", "Returbutiken Återbruk"), ("organisationNumber", "12345"), ("legalForm", "economicAssociation"),
                ("kind", "cooperative"), ("contact.email", "info@aterbruk.example"),
            ]
            let rejected = try await browser.post("/registry/forms/createOrganisation", bad)
            #expect(rejected.status == .unprocessableContent)
            #expect(rejected.body.contains(#"value="Returbutiken Återbruk""#))
            #expect(rejected.body.contains(#"value="12345""#))
            #expect(rejected.body.contains(#"value="info@aterbruk.example""#))
            #expect(
                rejected.body.contains(#"<option value="economicAssociation" selected>"#)
                    || rejected.body.contains(#"value="economicAssociation" checked"#)
            )
            #expect(rejected.body.contains(##"<a href="#f-organisationNumber">"##), "the summary links to the field")
            #expect(rejected.body.contains(#"id="f-organisationNumber-error""#))
            #expect(rejected.body.contains(#"aria-invalid="true""#))
            #expect(rejected.mainText.contains("Numret har fel antal siffror."), "the registry's refusal in Swedish")
            // In English the same refusal reads in English, the form still filled in.
            _ = try await browser.get("/language?lang=en&next=/")
            _ = try await browser.get("/registry/forms/createOrganisation")
            let english = try await browser.post("/registry/forms/createOrganisation", bad)
            #expect(english.mainText.contains("The number has the wrong count of digits."))
            #expect(english.body.contains(#"value="12345""#))
            _ = try await browser.get("/language?lang=sv&next=/")
            _ = try await browser.get("/registry/forms/createOrganisation")
            // Corrected, and sent twice with the same once-token (a double click).
            var good = bad
            good[1] = ("organisationNumber", "")
            let once = "double-click-1"
            let first = try await browser.post("/registry/forms/createOrganisation", good, once: once)
            #expect(first.status == .seeOther)
            let again = try await browser.post("/registry/forms/createOrganisation", good, once: once)
            #expect(again.status == .seeOther)
            #expect(again.location == first.location)
            let count = try await f.runtime.database.query("SELECT count(*) AS n FROM registry.organisations WHERE name = 'Returbutiken Återbruk'")
                .single().decode("n", as: Int.self)
            #expect(count == 1)
            let created = try await browser.get(first.location!)
            #expect(created.mainText.contains("Organisationen är registrerad."), "the notice shows once")
            let reloaded = try await browser.get(first.location!)
            #expect(!reloaded.mainText.contains("Organisationen är registrerad."))
        }
    }

    @Test("signing out ends the session; an idle or disabled session leads to the sign-in page")
    func sessionsEnd() async throws {
        let f = try await Self.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let start = try await browser.get("/")
            #expect(start.status == .ok)
            let stolen = browser.cookies
            let out = try await browser.post("/logout", [])
            #expect(out.status == .seeOther)
            #expect(out.location == "/login")
            var thief = PageBrowser(client)
            thief.cookies = stolen
            #expect(try await thief.get("/").status == .seeOther, "the cookie of an ended session opens nothing")

            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            _ = try await f.runtime.database.execute("UPDATE kernel.sessions SET last_seen_at = now() - interval '31 minutes' WHERE ended_at IS NULL")
            #expect(try await browser.get("/").location == "/login")

            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            _ = try await f.runtime.users.disable(name: "user-officer", actor: .system)
            #expect(try await browser.get("/").location == "/login")
            let audit = try await f.runtime.database.query(
                "SELECT action FROM kernel.audit_log WHERE entity = 'session' ORDER BY id"
            ).map { try $0.decode("action", as: String.self) }
            #expect(audit == ["signIn", "signOut", "signIn", "signIn"])
        }
    }

    @Test("the layout: navigation of what the role may use, the signed-in user, the language switch, security headers")
    func layout() async throws {
        let f = try await Self.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-supervisor", password: HostFixture.pagePassword)
            let start = try await browser.get("/")
            #expect(start.body.contains(#"<nav aria-label="Huvudmeny""#))
            #expect(start.body.contains(#"href="/registry/organisations""#))
            #expect(start.body.contains("user-supervisor"))
            #expect(start.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(start.headers[.init("X-Content-Type-Options")!] == "nosniff")
            // Enabled features only: the test host has none besides the registry.
            #expect(!start.body.contains(#"href="/supervision"#))
            let english = try await browser.get("/language?lang=en&next=/")
            #expect(english.location == "/")
            let translated = try await browser.get("/")
            #expect(translated.body.contains(#"<html lang="en">"#))
            #expect(translated.body.contains(#"<nav aria-label="Main menu""#))
            #expect(translated.body.contains("Sign out"))
            #expect(try await browser.get("/language?lang=sv&next=//evil.example").location == "/")
        }
    }

    @Test("registry pages for every role: 403 without the permission, 404 outside a supervisor's reach")
    func registryPagesPerRole() async throws {
        let f = try await Self.fixture()
        let r = f.records
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            for role in Role.allCases {
                var browser = PageBrowser(client)
                try await browser.signIn("user-\(role)", password: HostFixture.pagePassword)
                let scoped = role.isScoped
                let expectations: [(String, HTTPResponse.Status)] = [
                    ("/", .ok),
                    ("/registry/organisations", .ok),
                    ("/registry/organisations?q=gl%C3%A4ntan&sort=state&order=desc&size=50", .ok),
                    ("/registry/organisations/\(r.inReach)", .ok),
                    ("/registry/organisations/\(r.outOfReach)", scoped ? .notFound : .ok),
                    ("/registry/forms/createOrganisation", [.admin, .officer].contains(role) ? .ok : .forbidden),
                    ("/registry/people", .ok),
                    ("/registry/people/\(r.personInReach)", .ok),
                    ("/registry/people/\(r.personOutOfReach)", scoped ? .notFound : .ok),
                    ("/registry/organisations?sort=secret", .unprocessableContent),
                ]
                try await browser.expectPages(expectations, as: role)
                if scoped {
                    let outside = try await browser.get("/registry/organisations/\(r.outOfReach)")
                    #expect(outside.mainText.contains("Det finns ingen sådan post, eller så ligger den utanför det du får se."))
                    #expect(!outside.mainText.contains("with id"), "the page says it in Swedish, and not which record")
                }
                if ![.admin, .officer].contains(role) {
                    #expect(try await browser.get("/registry/forms/createOrganisation").mainText.contains("Din roll får inte göra det här."))
                }
                let list = try await browser.get("/registry/organisations")
                #expect(list.mainText.contains("Café Gläntan"))
                #expect(list.mainText.contains("Cykelverkstan") == !scoped, "\(role) sees only its reach")
            }
        }
    }

    @Test("a list sorts, pages and downloads what its search found as CSV, with numbers masked")
    func listsAndCSV() async throws {
        let f = try await Self.fixture()
        let registry = f.runtime.registry
        try await f.runtime.database.transaction { tx in
            for index in 1...30 {
                _ = try registry.createOrganisation(
                    OrganisationDraft(name: "Förening \(String(format: "%02d", index))", legalForm: .nonProfitAssociation, kind: .association),
                    actor: .system,
                    in: tx
                )
            }
            _ = try registry.createPerson(
                PersonDraft(name: "Ulla Hedberg", identityNumber: "198507224569", gender: .female),
                today: .today(),
                reach: .everything,
                actor: .system,
                in: tx
            )
        }
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            _ = try await browser.get("/registry/people")
            let lookedUp = try await browser.post("/registry/people/lookup", [("identityNumber", "19850722-4569")])
            #expect(lookedUp.status == .seeOther, "found by identity number")
            let found = try await browser.get(try #require(lookedUp.location))
            #expect(found.mainText.contains("Ulla Hedberg"))
            #expect(found.mainText.contains("19850722-****"))
            #expect(!found.mainText.contains("4569"))
            let first = try await browser.get("/registry/organisations?q=f%C3%B6rening&kind=association")
            #expect(first.mainText.contains("Visar 1–25 av 30"))
            #expect(first.body.contains(#"aria-sort="ascending""#))
            #expect(first.mainText.contains("Förening 01"))
            #expect(!first.mainText.contains("Förening 26"))
            #expect(first.body.contains(#"rel="next""#))
            let second = try await browser.get("/registry/organisations?q=f%C3%B6rening&kind=association&page=2")
            #expect(second.mainText.contains("Visar 26–30 av 30"))
            #expect(second.mainText.contains("Förening 30"))
            let descending = try await browser.get("/registry/organisations?q=f%C3%B6rening&sort=name&order=desc")
            #expect(descending.body.contains(#"aria-sort="descending""#))
            let names = descending.mainText.matches(of: /Förening (\d\d)/).map { String($0.1) }
            #expect(names.first == "30")
            let csvLink = try #require(first.body.firstMatch(of: /class="csv-download" href="([^"]+)"/)).1
            let csv = try await browser.get(String(csvLink).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = csv.body.split(separator: "\r\n")
            #expect(lines.first == "\u{FEFF}id;name;organisationNumber;legalForm;kind;state", "a byte-order mark and `;` for Excel in Swedish")
            #expect(lines.count == 31, "the 30 rows found, not only the page shown")
            let people = try await browser.get("/registry/people?format=csv")
            #expect(people.status == .ok)
            #expect(people.body.contains("Ulla Hedberg;19850722-****"), "identity numbers are masked in the download")
            #expect(!people.body.contains(/\d{8}-?\d{4}/))
        }
    }
}
