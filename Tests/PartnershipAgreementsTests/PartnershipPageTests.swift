import DataAccess
import ESFProject
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
@testable import PartnershipAgreements

/// The partnership pages over HTTP for every role, inside and outside a supervisor's reach: the
/// agreements and their download, an agreement's page and its state form (CSRF, a refused form
/// filled in again, the write), documents, the grant ledger, the start page's follow-up and the
/// organisation section.
@Suite("Partnership pages")
struct PartnershipPageTests {
    static func fixture() async throws -> PartnershipsAccessFixture {
        let fixture = try await PartnershipsAccessFixture.make()
        try await HostFixture.setPagePasswords(fixture.runtime)
        return fixture
    }

    static func signedIn(_ client: any TestClientProtocol, _ role: Role) async throws -> PageBrowser {
        var browser = PageBrowser(client)
        try await browser.signIn("user-\(role)", password: HostFixture.pagePassword)
        return browser
    }

    static func state(_ f: PartnershipsAccessFixture, _ id: Int) async throws -> String {
        try await f.runtime.database.query("SELECT state FROM partnerships.agreements WHERE id = \(id)").single().decode("state")
    }

    @Test("every partnership page for every role (all read), 404 outside a supervisor's reach")
    func pagesPerRole() async throws {
        let f = try await Self.fixture()
        let r = f.ids
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            for role in Role.allCases {
                var browser = try await Self.signedIn(client, role)
                let scoped = role.isScoped
                func status(_ outside: Bool = false) -> HTTPResponse.Status { outside && scoped ? .notFound : .ok }
                let expectations: [(String, HTTPResponse.Status)] = [
                    ("/partnerships", status()),
                    ("/partnerships?q=%C3%B6verenskommelse&kind=frameworkAgreement&sort=next&order=desc&size=50", status()),
                    ("/partnerships/agreements/\(r.agreementIn)", status()),
                    ("/partnerships/agreements/\(r.grantIn)", status()),
                    ("/partnerships/agreements/\(r.agreementOut)", status(true)),
                    ("/partnerships/agreements/\(r.grantOut)", status(true)),
                    ("/partnerships/ledger", status()),
                    ("/partnerships/ledger?organisation=\(r.provider)&year=2016", status()),
                    ("/partnerships?sort=secret", .unprocessableContent),
                ]
                for (path, expected) in expectations {
                    let page = try await browser.get(path)
                    #expect(page.status == expected, "\(role) GET \(path)")
                    #expect(page.headers[.contentType]?.hasPrefix("text/html") == true, "\(role) GET \(path) is a page")
                }
                #expect(try await browser.get("/partnerships/documents/\(r.documentIn)").status == status(), "\(role) document")
                #expect(try await browser.get("/partnerships/documents/\(r.documentOut)").status == status(true), "\(role) document outside")
                #expect(try await browser.get("/partnerships?format=csv").status == status(), "\(role) CSV")
                #expect(try await browser.get("/partnerships/ledger?format=csv").status == status(), "\(role) ledger CSV")
                let start = try await browser.get("/")
                #expect(start.body.contains(#"href="/partnerships""#), "\(role) navigation entry")
                let list = try await browser.get("/partnerships")
                #expect(list.body.contains(#"class="csv-download""#))
                #expect(list.mainText.contains("Överenskommelse"))
                #expect(list.mainText.contains("Paraplyföreningen"))
                #expect(list.mainText.contains("Annan förening") == !scoped, "\(role) sees only its reach")
                #expect(list.mainText.contains("Redovisning av bidraget 2017-03-31"), "a grant's next date is its report")
                let agreement = try await browser.get("/partnerships/agreements/\(r.agreementIn)")
                #expect(agreement.mainText.contains("Kommunen"))
                #expect(agreement.mainText.contains("offentlig part"))
                #expect(agreement.mainText.contains("Statushistorik"))
                #expect(agreement.mainText.contains("Juridisk granskning"))
                #expect(agreement.mainText.contains("avtal.pdf"))
                #expect(agreement.body.contains(#"href="/partnerships/documents/\#(r.documentIn)""#))
                #expect(
                    agreement.body.contains("Spara ny status") == [.officer, .admin].contains(role),
                    "only the officer (and the admin) change states"
                )
                let grant = try await browser.get("/partnerships/agreements/\(r.grantIn)")
                #expect(grant.mainText.contains("Bidragets pengar"))
                #expect(grant.mainText.contains("100 000 kr"), "kronor grouped (the page has no-break spaces)")
                #expect(grant.mainText.contains("Redovisning av bidraget"))
            }
        }
        await f.runtime.shutdown()
    }

    @Test("a decision's letter: its page for every role that reads, 404 outside a supervisor's reach, and only for letters")
    func letterPages() async throws {
        let f = try await Self.fixture()
        let r = f.ids
        func letter(_ grant: Int) async throws -> Int {
            try await f.runtime.database.query(
                "SELECT id FROM partnerships.documents WHERE agreement_id = \(grant) AND letter = 'grantDecided'"
            ).single().decode("id")
        }
        let (inside, outside) = (try await letter(r.grantIn), try await letter(r.grantOut))
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            for role in Role.allCases {
                var browser = try await Self.signedIn(client, role)
                let page = try await browser.get("/partnerships/letters/\(inside)")
                #expect(page.status == .ok, "\(role)")
                #expect(page.body.contains("@page { size: A4"), "\(role)")
                #expect(page.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'; style-src 'unsafe-inline'") == true)
                #expect(try await browser.get("/partnerships/letters/\(outside)").status == (role.isScoped ? .notFound : .ok), "\(role)")
                // An attached file is downloaded, never shown as a letter.
                #expect(try await browser.get("/partnerships/letters/\(r.documentIn)").status == .notFound, "\(role)")
                let grant = try await browser.get("/partnerships/agreements/\(r.grantIn)")
                #expect(grant.body.contains("/partnerships/letters/\(inside)"), "\(role)")
            }
        }
    }

    @Test("the state form: refused without its CSRF token and nothing stored; 403 without the permission")
    func csrfAndPermission() async throws {
        let f = try await Self.fixture()
        let r = f.ids
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var officer = try await Self.signedIn(client, .officer)
            _ = try await officer.get("/partnerships/agreements/\(r.agreementIn)")
            let fields = [("state", "evaluated"), ("on", "2016-12-31"), ("comment", "Förfalskad")]
            let refused = try await officer.post("/partnerships/agreements/\(r.agreementIn)/state", fields, csrf: false)
            #expect(refused.status == .forbidden)
            #expect(refused.mainText.contains("säkerhetskod"))
            _ = try await officer.get("/partnerships/agreements/\(r.agreementIn)")
            let forged = try await officer.post("/partnerships/agreements/\(r.agreementIn)/state", fields + [("_csrf", "kop_forged")], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await Self.state(f, r.agreementIn) == "active")
            _ = try await officer.get("/partnerships/agreements/\(r.agreementIn)")
            let review = try await officer.post("/partnerships/agreements/\(r.agreementIn)/reviewed", [], csrf: false)
            #expect(review.status == .forbidden)
            let transitions: Int = try await f.runtime.database.query(
                "SELECT count(*) AS n FROM partnerships.transitions WHERE comment = 'Förfalskad'"
            ).single().decode("n")
            #expect(transitions == 0)
            for role in [Role.coordinator, .auditor, .supervisor] {
                var browser = try await Self.signedIn(client, role)
                _ = try await browser.get("/partnerships/agreements/\(r.agreementIn)")
                #expect(try await browser.post("/partnerships/agreements/\(r.agreementIn)/state", fields).status == .forbidden, "\(role)")
            }
            #expect(try await Self.state(f, r.agreementIn) == "active")
        }
        await f.runtime.shutdown()
    }

    @Test("a refused state change comes back filled in with its error at the field; corrected, it moves the agreement and shows in the history")
    func stateFormKeepsInput() async throws {
        let f = try await Self.fixture()
        let r = f.ids
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var officer = try await Self.signedIn(client, .officer)
            let page = try await officer.get("/partnerships/agreements/\(r.agreementIn)")
            #expect(page.body.contains(#"<option value="evaluated""#))
            let bad = [("state", "evaluated"), ("on", "31/12"), ("comment", "Utvärderingen är klar")]
            let rejected = try await officer.post("/partnerships/agreements/\(r.agreementIn)/state", bad)
            #expect(rejected.status == .unprocessableContent)
            #expect(rejected.body.contains(#"value="31/12""#))
            #expect(rejected.body.contains(">Utvärderingen är klar</textarea>"))
            #expect(rejected.body.contains(#"<option value="evaluated" selected>"#))
            #expect(rejected.body.contains(##"<a href="#f-on">"##), "the summary links to the field")
            #expect(rejected.body.contains(#"id="f-on-error""#))
            #expect(rejected.mainText.contains("Skriv datumet som ÅÅÅÅ-MM-DD, från 1900-01-01 till 2199-12-31."))
            #expect(rejected.mainText.contains("Statushistorik"), "the whole page comes back")
            _ = try await officer.get("/partnerships/agreements/\(r.agreementIn)")
            #expect(try await Self.state(f, r.agreementIn) == "active")
            let grant = try await officer.get("/partnerships/agreements/\(r.grantIn)")
            #expect(grant.body.contains(#"<option value="reportDue""#), "a paid grant moves to its report")
            var good = bad
            good[1] = ("on", "2016-12-31")
            let done = try await officer.post("/partnerships/agreements/\(r.agreementIn)/state", good)
            #expect(done.status == .seeOther)
            #expect(done.location == "/partnerships/agreements/\(r.agreementIn)")
            #expect(try await Self.state(f, r.agreementIn) == "evaluated")
            let moved = try await officer.get(done.location!)
            #expect(moved.mainText.contains("Statusen är ändrad."))
            #expect(moved.mainText.contains("2016-12-31 Gäller Utvärderat Utvärderingen är klar user-officer"))
        }
        await f.runtime.shutdown()
    }

    @Test("the grant ledger per organisation and year: granted, paid, repaid, remaining, with a CSV download")
    func ledger() async throws {
        let f = try await Self.fixture()
        let r = f.ids
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var officer = try await Self.signedIn(client, .officer)
            let all = try await officer.get("/partnerships/ledger")
            #expect(all.mainText.contains("Paraplyföreningen"))
            #expect(all.mainText.contains("Annan förening"))
            let one = try await officer.get("/partnerships/ledger?organisation=\(r.provider)&year=2016")
            #expect(one.mainText.contains("Paraplyföreningen"))
            #expect(!one.mainText.contains("Annan förening 2016"))
            #expect(
                one.body.contains("<td>50\u{00A0}000\u{00A0}kr</td><td>0\u{00A0}kr</td><td>50\u{00A0}000\u{00A0}kr</td>"),
                "paid, repaid, remaining"
            )
            let link = try #require(one.body.firstMatch(of: /class="csv-download" href="([^"]+)"/)).1
            let csv = try await officer.get(String(link).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(csv.status == .ok)
            let lines = csv.body.split(separator: "\r\n")
            #expect(lines.first == "\u{FEFF}year;organisationId;organisation;grants;applied;granted;paid;repaid;remaining")
            #expect(lines.count == 2)
            #expect(lines.last?.hasSuffix(";50000") == true)
            var supervisor = try await Self.signedIn(client, .supervisor)
            #expect(!(try await supervisor.get("/partnerships/ledger").mainText.contains("Annan förening")), "the ledger within reach")
        }
        await f.runtime.shutdown()
    }

    @Test("the start page lists the follow-up items within reach; the organisation page shows its agreements and this year's grants")
    func attentionAndSections() async throws {
        let f = try await Self.fixture()
        let r = f.ids
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var officer = try await Self.signedIn(client, .officer)
            let start = try await officer.get("/")
            #expect(start.mainText.contains("Redovisning av bidrag: Bidrag"))
            #expect(start.body.contains(#"href="/partnerships/agreements/\#(r.grantIn)""#))
            #expect(start.body.contains(#"href="/partnerships/agreements/\#(r.grantOut)""#))
            let provider = try await officer.get("/registry/organisations/\(r.provider)")
            #expect(provider.mainText.contains("Avtal där organisationen är part"))
            #expect(provider.body.contains(#"href="/partnerships/agreements/\#(r.agreementIn)""#))
            #expect(!provider.body.contains(#"href="/partnerships/agreements/\#(r.agreementOut)""#))
            #expect(provider.mainText.contains("Bidrag \(LocalDate.today().year)"))
            var supervisor = try await Self.signedIn(client, .supervisor)
            let scoped = try await supervisor.get("/")
            #expect(scoped.body.contains(#"href="/partnerships/agreements/\#(r.grantIn)""#))
            #expect(!scoped.body.contains(#"href="/partnerships/agreements/\#(r.grantOut)""#), "only the reach's follow-up")
            #expect(try await supervisor.get("/registry/organisations/\(r.provider)").mainText.contains("Avtal där organisationen är part"))
            #expect(try await supervisor.get("/registry/organisations/\(r.other)").status == .notFound)
        }
        await f.runtime.shutdown()
    }

    @Test("every text the partnership templates use is in the catalogue, in Swedish and English")
    func catalogue() async throws {
        let f = try await Self.fixture()
        let plugin = try PartnershipAgreementsPlugin(settings: ConfigSection(path: "features.partnerships", value: nil))
        let templates = try #require(try plugin.pages(context: f.runtime.context(for: "partnerships"))).templates
        #expect(templates.missingTexts.isEmpty, "missing: \(templates.missingTexts.sorted())")
        #expect(templates.strings.untranslatedKeys.isEmpty, "untranslated: \(templates.strings.untranslatedKeys)")
        await f.runtime.shutdown()
    }
}
