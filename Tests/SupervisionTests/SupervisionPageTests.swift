import DataAccess
import ESFProject
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
@testable import Supervision

/// The supervision pages over HTTP for every role, inside and outside the supervisor's reach:
/// the list, a cooperative's page and its session form, the handover, the start page's
/// reminders and the registry's organisation section.
@Suite("Supervision pages")
struct SupervisionPageTests {
    /// The access fixture with a password for each role's user.
    static func fixture() async throws -> SupervisionAccessFixture {
        var fixture = try await SupervisionAccessFixture.make()
        fixture.tokens = [:]
        try await HostFixture.setPagePasswords(fixture.runtime)
        return fixture
    }

    @Test("every page for every role: 403 without the permission, 404 outside a supervisor's reach, the key content")
    func pagesPerRole() async throws {
        let f = try await Self.fixture()
        let r = f.ids
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            for role in Role.allCases {
                var browser = PageBrowser(client)
                try await browser.signIn("user-\(role)", password: HostFixture.pagePassword)
                let reads = role != .coordinator
                let read: HTTPResponse.Status = reads ? .ok : .forbidden
                let expectations: [(String, HTTPResponse.Status)] = [
                    ("/supervision", read),
                    ("/supervision?q=gl%C3%A4ntan&sort=lastSession&order=desc&size=50", read),
                    ("/supervision/cooperatives/\(r.coopIn)", read),
                    ("/supervision/cooperatives/\(r.coopOut)", reads ? (role == .supervisor ? .notFound : .ok) : .forbidden),
                    ("/supervision/cooperatives/999999", reads ? .notFound : .forbidden),
                    ("/supervision/handover", [.admin, .officer].contains(role) ? .ok : .forbidden),
                    ("/supervision?sort=secret", reads ? .unprocessableContent : .forbidden),
                ]
                try await browser.expectPages(expectations, as: role)
                let start = try await browser.get("/")
                #expect(start.body.contains(#"href="/supervision""#) == reads, "\(role) has the navigation entry")
                guard reads else { continue }
                let list = try await browser.get("/supervision")
                #expect(list.mainText.contains("Café Gläntan"))
                #expect(list.mainText.contains("Paraplyföreningen"))
                #expect(list.mainText.contains("Åsa Öberg"))
                #expect(list.mainText.contains("2016-01-01"), "the last session")
                #expect(list.mainText.contains("Cykelverkstan") == (role != .supervisor), "\(role) sees only its reach")
                #expect(list.body.contains(#"<th scope="col""#))
                let csv = try await browser.get("/supervision?format=csv")
                #expect(csv.status == .ok)
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(csv.body.hasPrefix("\u{FEFF}id;name;provider;supervisor;period;hours;targetHours;lastSession"))
                #expect(csv.body.contains("Cykelverkstan") == (role != .supervisor))
                let coop = try await browser.get("/supervision/cooperatives/\(r.coopIn)")
                #expect(coop.mainText.contains("Pågående"), "the assignment's state")
                #expect(coop.mainText.contains("20 %"))
                #expect(coop.mainText.contains("Verksamheten"), "the session's topic")
                #expect(coop.mainText.contains("Öppet"), "the goal's state")
                #expect(coop.mainText.contains("Handledningstimmar"))
                #expect(coop.body.contains(#"id="session-form""#) == [.admin, .officer, .supervisor].contains(role), "\(role) may log a session")
            }
        }
    }

    @Test("the session form: CSRF refused, filled in with errors at their fields, a double submit makes one session, a notice after")
    func sessionForm() async throws {
        let f = try await Self.fixture()
        let r = f.ids
        let sessions: SQL = "SELECT count(*) AS n FROM supervision.sessions WHERE cooperative_id = \(r.coopIn)"
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-supervisor", password: HostFixture.pagePassword)
            let path = "/supervision/cooperatives/\(r.coopIn)/sessions"
            _ = try await browser.get("/supervision/cooperatives/\(r.coopIn)")
            let good = [("assignmentId", String(r.assignmentIn)), ("date", "2016-02-03"), ("minutes", "75"), ("topic", "economy")]
            let refused = try await browser.post(path, good, csrf: false)
            #expect(refused.status == .forbidden)
            #expect(try await HostFixture.count(f.runtime, sessions) == 1)
            _ = try await browser.get("/supervision/cooperatives/\(r.coopIn)")  // the refusal's page has no form: load it again

            let bad = try await browser.post(
                path,
                [("assignmentId", String(r.assignmentIn)), ("date", "2016-13-45"), ("minutes", "lots"), ("topic", "economy")]
            )
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains(#"id="session-form""#))
            #expect(bad.body.contains(#"value="2016-13-45""#))
            #expect(bad.body.contains(#"value="lots""#))
            #expect(bad.body.contains(#"<option value="economy" selected>"#))
            #expect(bad.body.contains(#"id="f-date-error""#))
            #expect(bad.body.contains(#"id="f-minutes-error""#))
            #expect(bad.body.contains(##"<a href="#f-date">"##))
            #expect(bad.mainText.contains("Ange ett datum som ÅÅÅÅ-MM-DD, från 1900-01-01 till 2199-12-31."))
            // The API's refusal (minutes out of the document's range) finds its field too.
            let zero = try await browser.post(
                path,
                [("assignmentId", String(r.assignmentIn)), ("date", "2016-02-03"), ("minutes", "0"), ("topic", "economy")]
            )
            #expect(zero.status == .unprocessableContent)
            #expect(zero.body.contains(#"id="f-minutes-error""#))
            #expect(zero.mainText.contains("Ange minst 1, inte 0."), "the API's refusal in Swedish")
            #expect(!zero.mainText.contains("must be between"))
            // Another provider's assignment is not offered, and not taken.
            let other = try await browser.post(path, [("assignmentId", String(r.assignmentOut))] + good.dropFirst())
            #expect(other.status == .unprocessableContent)
            #expect(other.body.contains(#"id="f-assignmentId-error""#))
            #expect(try await HostFixture.count(f.runtime, sessions) == 1)

            let once = "double-click-session"
            let first = try await browser.post(path, good, once: once)
            #expect(first.status == .seeOther)
            #expect(first.location == "/supervision/cooperatives/\(r.coopIn)")
            let again = try await browser.post(path, good, once: once)
            #expect(again.status == .seeOther)
            #expect(try await HostFixture.count(f.runtime, sessions) == 2, "one new session")
            let shown = try await browser.get(try #require(first.location))
            #expect(shown.body.contains(#"class="notice""#))
            #expect(shown.mainText.contains("Handledningstillfället är sparat."))
            #expect(shown.mainText.contains("2016-02-03"))
            #expect(shown.mainText.contains("Ekonomi"))
            // Outside the supervisor's reach: 404, nothing stored.
            let outside = try await browser.post(
                "/supervision/cooperatives/\(r.coopOut)/sessions",
                [("assignmentId", String(r.assignmentOut))] + good.dropFirst()
            )
            #expect(outside.status == .notFound)
            #expect(try await HostFixture.count(f.runtime, "SELECT count(*) AS n FROM supervision.sessions WHERE cooperative_id = \(r.coopOut)") == 1)
            // An auditor may not write.
            var auditor = PageBrowser(client)
            try await auditor.signIn("user-auditor", password: HostFixture.pagePassword)
            _ = try await auditor.get("/supervision/cooperatives/\(r.coopIn)")
            #expect(try await auditor.post(path, good).status == .forbidden)
        }
    }

    @Test("the handover: CSRF refused, a refusal at its field, a preview that changes nothing, then the handover")
    func handover() async throws {
        let f = try await Self.fixture()
        let r = f.ids
        let atOther: SQL = "SELECT count(*) AS n FROM supervision.assignments WHERE cooperative_id = \(r.coopIn) AND provider_id = \(r.otherProvider)"
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let form = try await browser.get("/supervision/handover")
            #expect(form.body.contains(#"value="preview""#))
            #expect(form.body.contains(#"<label for="f-fromProviderId">"#))
            let fields = [("fromProviderId", String(r.provider)), ("toProviderId", String(r.otherProvider)), ("on", "2016-06-01")]
            #expect(try await browser.post("/supervision/handover", fields + [("action", "run")], csrf: false).status == .forbidden)
            #expect(try await HostFixture.count(f.runtime, atOther) == 0)
            _ = try await browser.get("/supervision/handover")

            let same = try await browser.post(
                "/supervision/handover",
                [fields[0], ("toProviderId", String(r.provider)), fields[2], ("action", "preview")]
            )
            #expect(same.status == .unprocessableContent)
            #expect(same.body.contains(#"id="f-toProviderId-error""#))
            #expect(same.mainText.contains("Välj en annan organisation än den som lämnar över."))

            let preview = try await browser.post("/supervision/handover", fields + [("action", "preview")])
            #expect(preview.status == .ok)
            #expect(preview.mainText.contains("Förhandsgranskning"))
            #expect(preview.mainText.contains("Café Gläntan"))
            #expect(preview.mainText.contains(String(r.assignmentIn)))
            #expect(preview.body.contains(#"<option value="\#(r.otherProvider)" selected>"#), "the form keeps its choices")
            #expect(try await HostFixture.count(f.runtime, atOther) == 0, "a preview changes nothing")

            let done = try await browser.post("/supervision/handover", fields + [("action", "run")])
            #expect(done.status == .seeOther)
            #expect(try await HostFixture.count(f.runtime, atOther) == 1)
            let after = try await browser.get(try #require(done.location))
            #expect(after.mainText.contains("Överlämningen är klar: 1 uppdrag har flyttats."))
        }
    }

    @Test("the session form and the handover are the API's writes: the same audit rows, the same refusals at the same fields")
    func pagesWriteThroughTheAPI() async throws {
        let f = try await SupervisionAccessFixture.make()
        try await HostFixture.setPagePasswords(f.runtime)
        let (r, tokens) = (f.ids, f.tokens)
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var supervisor = PageBrowser(client)
            try await supervisor.signIn("user-supervisor", password: HostFixture.pagePassword)
            _ = try await supervisor.get("/supervision/cooperatives/\(r.coopIn)")
            let form = [("assignmentId", String(r.assignmentIn)), ("date", "2016-02-03"), ("minutes", "75"), ("topic", "economy")]
            var mark = try await HostFixture.lastAuditID(f.runtime)
            #expect(try await supervisor.post("/supervision/cooperatives/\(r.coopIn)/sessions", form).status == .seeOther)
            let byPage = try await HostFixture.audited(f.runtime, since: mark)
            mark = try await HostFixture.lastAuditID(f.runtime)
            let json = #"{"assignmentId": \#(r.assignmentIn), "on": "2016-02-04", "minutes": 75, "topics": ["economy"]}"#
            let api = try await HostFixture.api(client, .post, "/api/v1/supervision/sessions", token: tokens[.supervisor], json: json)
            #expect(api.status == .created)
            let byAPI = try await HostFixture.audited(f.runtime, since: mark)
            #expect(byPage.count == 1 && byPage.first?.contains("user-supervisor supervision session") == true, "\(byPage)")
            #expect(byPage == byAPI)
            // Refused: the page shows at the field what the API names in its problem, and nothing is written.
            mark = try await HostFixture.lastAuditID(f.runtime)
            let zero = try await supervisor.post(
                "/supervision/cooperatives/\(r.coopIn)/sessions",
                [("assignmentId", String(r.assignmentIn)), ("date", "2016-02-05"), ("minutes", "0"), ("topic", "economy")]
            )
            #expect(zero.status == .unprocessableContent)
            #expect(zero.body.contains(#"id="f-minutes-error""#))
            let refused = try HostFixture.problemFields(
                try await HostFixture.api(
                    client,
                    .post,
                    "/api/v1/supervision/sessions",
                    token: tokens[.supervisor],
                    json: json.replacingOccurrences(of: "75", with: "0")
                )
            )
            #expect(refused.status.code / 100 == 4 && refused.fields == ["/minutes"])
            #expect(try await HostFixture.audited(f.runtime, since: mark).isEmpty)

            var officer = PageBrowser(client)
            try await officer.signIn("user-officer", password: HostFixture.pagePassword)
            _ = try await officer.get("/supervision/handover")
            mark = try await HostFixture.lastAuditID(f.runtime)
            let same = try await officer.post(
                "/supervision/handover",
                [("fromProviderId", String(r.provider)), ("toProviderId", String(r.provider)), ("on", "2016-06-01"), ("action", "run")]
            )
            #expect(same.status == .unprocessableContent)
            #expect(same.body.contains(#"id="f-toProviderId-error""#))
            let sameByAPI = try HostFixture.problemFields(
                try await HostFixture.api(
                    client,
                    .post,
                    "/api/v1/supervision/handovers",
                    token: tokens[.officer],
                    json: #"{"fromProviderId": \#(r.provider), "toProviderId": \#(r.provider), "on": "2016-06-01"}"#
                )
            )
            #expect(sameByAPI.fields == ["/toProviderId"])
            #expect(try await HostFixture.audited(f.runtime, since: mark).isEmpty)
            // There by the page, back by the API: the same kinds of rows for the same kind of move.
            let there = try await officer.post(
                "/supervision/handover",
                [("fromProviderId", String(r.provider)), ("toProviderId", String(r.otherProvider)), ("on", "2016-06-01"), ("action", "run")]
            )
            #expect(there.status == .seeOther)
            let handedByPage = try await HostFixture.audited(f.runtime, since: mark)
            mark = try await HostFixture.lastAuditID(f.runtime)
            let back = try await HostFixture.api(
                client,
                .post,
                "/api/v1/supervision/handovers",
                token: tokens[.officer],
                json: #"{"fromProviderId": \#(r.otherProvider), "toProviderId": \#(r.provider), "on": "2016-07-01"}"#
            )
            #expect(back.status == .created)
            let handedByAPI = try await HostFixture.audited(f.runtime, since: mark)
            #expect(!handedByPage.isEmpty && handedByPage.allSatisfy { $0.contains("user-officer supervision") && $0.contains("with its request") })
            // The way back moves the other provider's own assignment too: the same rows, more of them.
            #expect(Set(handedByPage) == Set(handedByAPI))
        }
    }

    @Test("the start page lists a feature's 25 most urgent items and says how many more there are")
    func startPageCap() async throws {
        let f = try await Self.fixture()
        let r = f.ids
        // 30 more cooperatives like the one inside the reach, each with the same assignment and no session.
        try await f.runtime.database.transaction { tx in
            _ = try tx.execute(
                """
                WITH added AS (
                    INSERT INTO registry.organisations (name, search_name, legal_form, kind, state)
                    SELECT 'Kooperativ ' || g, 'kooperativ ' || g, legal_form, kind, state FROM registry.organisations, generate_series(1, 30) g
                    WHERE id = \(r.coopIn) RETURNING id
                )
                INSERT INTO supervision.assignments
                    (cooperative_id, provider_id, supervisor_id, share_percent, from_date, funding_source, target_hours_per_month, state)
                SELECT added.id, a.provider_id, a.supervisor_id, a.share_percent, a.from_date, a.funding_source, a.target_hours_per_month, a.state
                FROM added, supervision.assignments a WHERE a.id = \(r.assignmentIn)
                """
            )
        }
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var officer = PageBrowser(client)
            try await officer.signIn("user-officer", password: HostFixture.pagePassword)
            let start = try await officer.get("/")
            let section = try #require(start.body.firstRange(of: #"aria-labelledby="attention-supervision""#)).upperBound
            let supervision = start.body[section...].split(separator: "</section>", maxSplits: 1).first ?? ""
            #expect(supervision.components(separatedBy: "<li ").count - 1 == 25, "25 items shown")
            #expect(supervision.contains(#"<a href="/supervision">… och "#), "the rest counted, linking to the feature")
            #expect(supervision.contains(" till i Handledning"))
        }
    }

    @Test("the start page lists the reminders and the organisation page has the section, within reach")
    func sharedPages() async throws {
        let f = try await Self.fixture()
        let r = f.ids
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var officer = PageBrowser(client)
            try await officer.signIn("user-officer", password: HostFixture.pagePassword)
            let start = try await officer.get("/")
            #expect(start.mainText.contains("Ingen handledning på"), "the cooperatives have had no session since 2016")
            #expect(start.body.contains(#"href="/supervision/cooperatives/\#(r.coopIn)""#))
            #expect(start.body.contains(#"href="/supervision/cooperatives/\#(r.coopOut)""#))
            let coop = try await officer.get("/registry/organisations/\(r.coopIn)")
            #expect(coop.mainText.contains("Handledning"))
            #expect(coop.mainText.contains("Pågående uppdrag"))
            #expect(coop.mainText.contains("Paraplyföreningen (Åsa Öberg)"))
            #expect(coop.mainText.contains("Handledningstimmar"))
            let provider = try await officer.get("/registry/organisations/\(r.provider)")
            #expect(provider.mainText.contains("Kooperativ som organisationen handleder"))
            #expect(provider.body.contains(#"href="/supervision/cooperatives/\#(r.coopIn)""#))

            var supervisor = PageBrowser(client)
            try await supervisor.signIn("user-supervisor", password: HostFixture.pagePassword)
            let scoped = try await supervisor.get("/")
            #expect(scoped.body.contains(#"href="/supervision/cooperatives/\#(r.coopIn)""#))
            #expect(!scoped.body.contains(#"href="/supervision/cooperatives/\#(r.coopOut)""#))
            let other = try await supervisor.get("/registry/organisations/\(r.provider)")
            #expect(!other.mainText.contains("Cykelverkstan"))

            var coordinator = PageBrowser(client)
            try await coordinator.signIn("user-coordinator", password: HostFixture.pagePassword)
            let none = try await coordinator.get("/registry/organisations/\(r.coopIn)")
            #expect(!none.mainText.contains("Pågående uppdrag"), "no section without the permission")
        }
    }

    @Test("a cooperative's page shows each pot's state, its history of decisions with case numbers, and its balance")
    func potHistory() async throws {
        let f = try await Self.fixture()
        let r = f.ids
        let store = try SupervisionStore(context: f.runtime.context(for: "supervision"))
        _ = try await f.runtime.database.transaction { tx in
            try store.decide(
                PotDecisionDraft(
                    outcome: .extend,
                    decidedOn: LocalDate(year: 2017, month: 5, day: 10)!,
                    caseNumber: "SN 2017/123",
                    to: LocalDate(year: 2031, month: 1, day: 1),
                    amountAdded: 50_000
                ),
                onPot: r.potIn,
                today: LocalDate(year: 2017, month: 5, day: 10)!,
                reach: .everything,
                actor: .system,
                in: tx
            )
        }
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var officer = PageBrowser(client)
            try await officer.signIn("user-officer", password: HostFixture.pagePassword)
            let page = try await officer.get("/supervision/cooperatives/\(r.coopIn)")
            #expect(page.mainText.contains("Pottens historik: Pott"))
            let text = page.mainText.replacingOccurrences(of: "\u{00A0}", with: " ")
            #expect(text.contains("2016-01-01 Inrättad: 1 000 000 kr för 2016-01-01 – 2030-01-01"), "\(text)")
            #expect(text.contains("2017-05-10 Omprövning (dnr SN 2017/123): förlängd till 2031-01-01, 50 000 kr tillförda"))
            #expect(text.contains("Saldo: 1 050 000 kr kvar (0 kr använt, 0 kr blev bidrag)"))
            #expect(page.mainText.contains("Öppen"))
            #expect(page.body.contains("/supervision/forms/decidePot?id=\(r.potIn)"))
            let form = try await officer.get("/supervision/forms/decidePot?id=\(r.potIn)")
            #expect(form.status == .ok)
            #expect(form.mainText.contains("Registrera omprövning av potten") && form.mainText.contains("Diarienummer"))
        }
    }

    @Test("the cooperative list finds a cooperative by the case number of its assignment or pot; its page shows them")
    func caseNumberSearch() async throws {
        let f = try await Self.fixture()
        let r = f.ids
        _ = try await f.runtime.database.transaction { tx in
            try tx.execute("UPDATE supervision.assignments SET case_number = 'SN 2016/4711' WHERE id = \(r.assignmentIn)")
            try tx.execute("UPDATE supervision.funding_pots SET case_number = 'KS 2016/99' WHERE id = \(r.potOut)")
        }
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var officer = PageBrowser(client)
            try await officer.signIn("user-officer", password: HostFixture.pagePassword)
            let byAssignment = try await officer.get("/supervision?q=sn%202016%2F4711")
            #expect(byAssignment.body.contains(#"href="/supervision/cooperatives/\#(r.coopIn)""#))
            #expect(!byAssignment.body.contains(#"href="/supervision/cooperatives/\#(r.coopOut)""#))
            let byPot = try await officer.get("/supervision?q=KS%202016")
            #expect(byPot.body.contains(#"href="/supervision/cooperatives/\#(r.coopOut)""#))
            #expect(!byPot.body.contains(#"href="/supervision/cooperatives/\#(r.coopIn)""#))
            let page = try await officer.get("/supervision/cooperatives/\(r.coopIn)")
            #expect(page.mainText.contains("Diarienummer") && page.mainText.contains("SN 2016/4711"))
        }
    }

    @Test("the demo's organisation page shows the independence criterion with the period and reason it did not hold")
    func independenceOnOrganisationPage() async throws {
        let (runtime, _) = try await HostFixture.demoRuntime()
        try await HostFixture.setPagePasswords(runtime)
        let id = try await runtime.database.query("SELECT id FROM registry.organisations WHERE name = 'Returbutiken Återbruk ek. för.'").single()
            .decode("id", as: Int.self)
        try await buildApplication(runtime: runtime).test(.router) { client in
            var officer = PageBrowser(client)
            try await officer.signIn("user-officer", password: HostFixture.pagePassword)
            let page = try await officer.get("/registry/organisations/\(id)")
            #expect(page.mainText.contains("Inte fristående från offentlig sektor (enligt handledningen):"), "\(page.mainText)")
            #expect(
                page.mainText.contains(
                    "2008-01-01 – 2015-03-31: handledaren Örjan Åkesson var anställd av Enheten för sociala arbetskooperativ, en offentlig aktör"
                )
            )
        }
        await runtime.shutdown()
    }

    @Test("on the demo, a caseworker's and a supervisor's start pages show a working day: a handful of supervision items, none years old")
    func demoStartPages() async throws {
        let (runtime, _) = try await HostFixture.demoRuntime()
        try await HostFixture.setPagePasswords(runtime)
        try await buildApplication(runtime: runtime).test(.router) { client in
            for user in ["user-officer", "user-supervisor"] {
                var browser = PageBrowser(client)
                try await browser.signIn(user, password: HostFixture.pagePassword)
                let start = try await browser.get("/")
                let section = try #require(start.body.firstRange(of: #"aria-labelledby="attention-supervision""#), "\(user)").upperBound
                let supervision = String(start.body[section...].split(separator: "</section>", maxSplits: 1).first ?? "")
                let items = supervision.components(separatedBy: "<li ").count - 1
                #expect((2...8).contains(items), "\(user): \(items) items")
                #expect(supervision.contains("Städkooperativet Skärgården"), "\(user)")
                let days = supervision.matches(of: /(\d+) dagar/).compactMap { Int($0.1) }
                #expect(days.allSatisfy { $0 < 100 }, "\(user): \(days)")
            }
        }
        await runtime.shutdown()
    }

    @Test("every text the templates use is in the catalogue, in both languages")
    func catalogue() async throws {
        let f = try await Self.fixture()

        try HostFixture.checkCatalogue(f.runtime, "supervision", templates: ["cooperatives", "cooperative", "handover", "organisationSection"])
    }
}
