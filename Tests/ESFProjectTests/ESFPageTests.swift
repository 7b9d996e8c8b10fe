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

@testable import ESFProject
@testable import Host

/// The ESF pages over HTTP for every role: the projects, a project's chart, indicators and
/// monthly reports, its participants with their download; participant data under secrecy
/// (supervisors get none, special categories only the coordinator, not even the admin); the monthly
/// report form behind CSRF; the start page's overdue reports and the organisation sections.
@Suite("ESF pages")
struct ESFPageTests {
    /// The ESF access fixture with a password for each role's user, and a participant with
    /// special-category data recorded.
    static func fixture() async throws -> (HostRuntime, ESFAccessTests.Records) {
        let (runtime, records, _) = try await ESFAccessTests.make()
        let store = try ESFStore(context: runtime.context(for: "esf"))
        try await runtime.database.transaction { tx in
            _ = try store.enter(
                ParticipationDraft(
                    personId: records.other,
                    from: LocalDate(year: 2016, month: 2, day: 1)!,
                    entryStatus: OneOrMore(.longTermUnemployed),
                    specialCategories: SpecialCategories(migrantBackground: true, disability: false, otherDisadvantaged: nil)
                ),
                project: records.project,
                special: true,
                reach: .everything,
                actor: .system,
                in: tx
            )
        }
        try await HostFixture.setPagePasswords(runtime)
        return (runtime, records)
    }

    static func signedIn(_ client: any TestClientProtocol, _ role: Role) async throws -> PageBrowser {
        var browser = PageBrowser(client)
        try await browser.signIn("user-\(role)", password: HostFixture.pagePassword)
        return browser
    }

    @Test("every ESF page for every role: 200 with esf.read, 403 without (supervisors), 404 for a missing project")
    func pagesPerRole() async throws {
        let (runtime, r) = try await Self.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            for role in Role.allCases {
                var browser = try await Self.signedIn(client, role)
                let reads = role != .supervisor
                let p = r.project
                let expectations: [(String, HTTPResponse.Status)] = [
                    ("/esf", reads ? .ok : .forbidden),
                    ("/esf?q=1000&sort=caseNumber&order=desc&size=50", reads ? .ok : .forbidden),
                    ("/esf/projects/\(p)", reads ? .ok : .forbidden),
                    ("/esf/projects/\(p)?from=2016-01-01&to=2016-12-31", reads ? .ok : .forbidden),
                    ("/esf/projects/\(p)/participants", reads ? .ok : .forbidden),
                    ("/esf/projects/\(p)/participants?q=amina&sort=from&order=desc", reads ? .ok : .forbidden),
                    ("/esf/projects/\(p + 1000)", reads ? .notFound : .forbidden),
                    ("/esf/projects/\(p)/participants?sort=secret", reads ? .unprocessableContent : .forbidden),
                ]
                for (path, status) in expectations {
                    let page = try await browser.get(path)
                    #expect(page.status == status, "\(role) GET \(path)")
                    #expect(page.headers[.contentType]?.hasPrefix("text/html") == true, "\(role) GET \(path) is a page")
                }
                let csv = try await browser.get("/esf/projects/\(p)/participants?format=csv")
                #expect(csv.status == (reads ? .ok : .forbidden), "\(role) participants CSV")
                let start = try await browser.get("/")
                #expect(start.body.contains(#"href="/esf""#) == reads, "\(role) navigation entry")
                guard reads else { continue }
                let list = try await browser.get("/esf")
                #expect(list.body.contains(#"class="project-link" href="/esf/projects/\#(p)""#))
                #expect(list.mainText.contains("1000 jobb i sociala företag"))
                #expect(list.mainText.contains("2015/00254"))
                let project = try await browser.get("/esf/projects/\(p)")
                #expect(project.body.contains(#"<svg id="jobs-chart""#))
                #expect(project.body.contains(#"<table id="indicators""#))
                #expect(project.mainText.contains("Paraplyföreningen"))
                #expect(project.mainText.contains("Månadsrapporter om deltagare"))
                #expect(project.mainText.contains("2016-01"))
                #expect(project.mainText.contains("Ska lämnas senast"))
                #expect(project.mainText.contains("Försenad"), "open months past their due day are flagged in words")
                #expect(
                    project.body.contains("/monthly-reports/2016-01/submit") == [.coordinator, .admin].contains(role),
                    "only the project staff submit"
                )
                let participants = try await browser.get("/esf/projects/\(p)/participants")
                #expect(participants.mainText.contains("Amina"))
                #expect(participants.mainText.contains("19800110-****"))
                #expect(!participants.body.contains("3004"), "never a full identity number")
            }
        }
        await runtime.shutdown()
    }

    @Test("the jobs chart: server-rendered SVG with an accessible title and description, the target line with its day, the same figures in a table")
    func chart() async throws {
        let (runtime, r) = try await Self.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = try await Self.signedIn(client, .officer)
            let page = try await browser.get("/esf/projects/\(r.project)?asOf=2016-06-30")
            #expect(page.status == .ok)
            let body = page.body
            #expect(body.contains(#"<svg id="jobs-chart" role="img" aria-labelledby="jobs-chart-title jobs-chart-desc""#))
            #expect(body.contains(#"<title id="jobs-chart-title">Påbörjade jobb över tid i 1000 jobb i sociala företag</title>"#))
            #expect(body.contains(#"<desc id="jobs-chart-desc">1 jobb har påbörjats sedan 2015-10-01 (per 2016-06-30)."#))
            #expect(body.contains("Målet är 1000 jobb senast 2020-12-31."))
            #expect(body.contains(#"class="target-line""#))
            #expect(body.contains(#"class="target-day""#))
            #expect(body.contains("Mål: 1000 jobb senast 2020-12-31"))
            #expect(body.contains(#"class="projection-line""#), "the straight-line projection before the target day")
            #expect(body.contains(#"class="jobs-line""#))
            #expect(body.contains("målet nås inte"), "on track or not is said in words")
            let chart = try #require(body.firstMatch(of: /<svg[^>]*class="chart"(.*?)<\/svg>/.dotMatchesNewlines()))
            #expect(!chart.1.contains("<script"), "the chart needs no JavaScript")
            let table = try #require(body.firstMatch(of: /<table id="jobs-table">(.*?)<\/table>/.dotMatchesNewlines()))
            #expect(table.1.contains("<td>2016-01</td><td>1</td><td>1</td>"))
        }
        await runtime.shutdown()
    }

    @Test("special categories only for the coordinator: the participants' columns, the download and the indicators")
    func specialCategories() async throws {
        let (runtime, r) = try await Self.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            for role in [Role.coordinator, .officer, .auditor, .admin] {
                var browser = try await Self.signedIn(client, role)
                let special = role == .coordinator
                let list = try await browser.get("/esf/projects/\(r.project)/participants")
                #expect(list.mainText.contains("Utländsk bakgrund") == special, "\(role) list")
                #expect(list.mainText.contains("Funktionsnedsättning") == special, "\(role) list")
                let csv = try await browser.get("/esf/projects/\(r.project)/participants?format=csv")
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(csv.body.contains("migrantBackground") == special, "\(role) CSV")
                #expect(csv.body.contains("19810211-****"), "masked numbers in the download")
                #expect(!csv.body.contains(/\d{8}-?\d{4}/), "no full identity number in the download")
                #expect(csv.body.split(separator: "\r\n").count == 3, "both participants found")
                let project = try await browser.get("/esf/projects/\(r.project)")
                let indicators = try #require(project.body.firstMatch(of: /<table id="indicators".*?<\/table>/.dotMatchesNewlines())).0
                #expect(indicators.contains("CO01"))
                #expect(indicators.contains("CO15") == special, "\(role) special-category indicator")
                #expect(indicators.contains("CR05") == special)
                #expect(project.mainText.contains("bygger på känsliga personuppgifter") == !special)
                // Small numbers (issue 19.2): CO01 counts two women; only the coordinator sees "2".
                let co01 = try #require(indicators.firstMatch(of: /<tr><td>CO01<\/td>.*?<\/tr>/)).0
                let counts = special ? "<td>2</td><td>2</td><td>0</td></tr>" : "<td>&lt; 5</td><td>&lt; 5</td><td>&lt; 5</td></tr>"
                #expect(co01.hasSuffix(counts), "\(role) CO01")
            }
        }
        await runtime.shutdown()
    }

    @Test("the monthly report form: refused without its CSRF token and nothing stored; 403 without the permission; stored with the token")
    func monthlyReportForm() async throws {
        let (runtime, r) = try await Self.fixture()
        @Sendable func submitted() async throws -> Int {
            try await runtime.database.query("SELECT count(*) AS n FROM esf.monthly_reports WHERE state = 'submitted'").single().decode("n")
        }
        try await buildApplication(runtime: runtime).test(.router) { client in
            let path = "/esf/projects/\(r.project)/monthly-reports/2016-01/submit"
            var officer = try await Self.signedIn(client, .officer)
            _ = try await officer.get("/esf/projects/\(r.project)")
            #expect(try await officer.post(path, []).status == .forbidden, "the officer reads but does not submit")
            var coordinator = try await Self.signedIn(client, .coordinator)
            _ = try await coordinator.get("/esf/projects/\(r.project)")
            let refused = try await coordinator.post(path, [], csrf: false)
            #expect(refused.status == .forbidden)
            #expect(refused.mainText.contains("säkerhetskod"))
            #expect(try await submitted() == 0)
            _ = try await coordinator.get("/esf/projects/\(r.project)")
            let done = try await coordinator.post(path, [])
            #expect(done.status == .seeOther)
            #expect(done.location == "/esf/projects/\(r.project)#monthly-reports")
            #expect(try await submitted() == 1)
            let after = try await coordinator.get("/esf/projects/\(r.project)")
            #expect(after.mainText.contains("Månadsrapporten är markerad som inlämnad."))
            #expect(after.mainText.contains("Inlämnad"))
            #expect(!after.body.contains("/monthly-reports/2016-01/submit"), "a submitted month has no form")
        }
        await runtime.shutdown()
    }

    @Test("Markera som inlämnad is the API's submitMonthlyReport: the same audit row, the same refusal of a month already submitted")
    func pagesWriteThroughTheAPI() async throws {
        let (runtime, r, tokens) = try await ESFAccessTests.make()
        try await HostFixture.setPagePasswords(runtime)
        try await buildApplication(runtime: runtime).test(.router) { client in
            var coordinator = try await Self.signedIn(client, .coordinator)
            let token = tokens[.coordinator]
            // One month submitted by the page, the next by the API.
            _ = try await coordinator.get("/esf/projects/\(r.project)")
            var mark = try await HostFixture.lastAuditID(runtime)
            let done = try await coordinator.post("/esf/projects/\(r.project)/monthly-reports/2016-01/submit", [])
            #expect(done.status == .seeOther)
            let byPage = try await HostFixture.audited(runtime, since: mark)
            mark = try await HostFixture.lastAuditID(runtime)
            let api = try await HostFixture.api(client, .post, "/api/v1/esf/projects/\(r.project)/monthly-reports/2016-02/submit", token: token)
            #expect(api.status == .ok)
            let byAPI = try await HostFixture.audited(runtime, since: mark)
            #expect(byPage.contains { $0.contains("user-coordinator esf monthlyReport submit with its request") }, "\(byPage)")
            #expect(byPage == byAPI)
            // Submitting a month again: the page refuses with the API's 409, and nothing is audited.
            mark = try await HostFixture.lastAuditID(runtime)
            _ = try await coordinator.get("/esf/projects/\(r.project)")
            let again = try await coordinator.post("/esf/projects/\(r.project)/monthly-reports/2016-01/submit", [])
            #expect(again.status == .conflict)
            #expect(again.mainText.contains("Månadsrapporten för 2016-01 är redan inlämnad (version 1)."), "in Swedish")
            let againByAPI = try HostFixture.problemFields(
                try await HostFixture.api(client, .post, "/api/v1/esf/projects/\(r.project)/monthly-reports/2016-02/submit", token: token)
            )
            #expect(againByAPI.status == .conflict && againByAPI.fields == ["/state"])
            #expect(try await HostFixture.audited(runtime, since: mark).isEmpty)
        }
        await runtime.shutdown()
    }

    @Test("the start page lists the overdue monthly reports; the organisation page shows the owner's projects and the employer's jobs")
    func attentionAndSections() async throws {
        let (runtime, r) = try await Self.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            var officer = try await Self.signedIn(client, .officer)
            let start = try await officer.get("/")
            #expect(start.mainText.contains("Försenade månadsrapporter (36)"))
            #expect(start.mainText.contains("1000 jobb i sociala företag, äldsta månaden 2015-10"))
            #expect(start.body.contains(#"href="/esf/projects/\#(r.project)#monthly-reports""#))
            let owner = try await officer.get("/registry/organisations/\(r.owner)")
            #expect(owner.mainText.contains("Projekt som organisationen äger"))
            #expect(owner.body.contains(#"href="/esf/projects/\#(r.project)""#))
            let employer = try await officer.get("/registry/organisations/\(r.employer)")
            #expect(employer.mainText.contains("Jobb hos organisationen"))
            #expect(!employer.mainText.contains("Projekt som organisationen äger"))
            var supervisor = try await Self.signedIn(client, .supervisor)
            #expect(!(try await supervisor.get("/").mainText.contains("månadsrapporter")), "no ESF items without esf.read")
            let seen = try await supervisor.get("/registry/organisations/\(r.owner)")
            #expect(seen.status == .ok)
            #expect(!seen.mainText.contains("ESF-projekt"), "no ESF section without esf.read")
            #expect(try await supervisor.get("/registry/organisations/\(r.employer)").status == .notFound, "outside the supervisor's reach")
        }
        await runtime.shutdown()
    }

    @Test("a list's download opens in Excel: a byte-order mark, `;` in Swedish, `,` in English; the API's CSV stays RFC 4180")
    func downloadForExcel() async throws {
        let (runtime, r, tokens) = try await ESFAccessTests.make()
        try await HostFixture.setPagePasswords(runtime)
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = try await Self.signedIn(client, .coordinator)
            let path = "/esf/projects/\(r.project)/participants?format=csv"
            let swedish = try await browser.get(path)
            #expect(Array(swedish.body.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 with a byte-order mark")
            #expect(swedish.body.hasPrefix("\u{FEFF}participationId;personId;name;identityNumber;gender;from;to;"))
            #expect(swedish.body.contains(";Amina;19800110-****;female;2016-01-11;"))
            _ = try await browser.get("/language?lang=en&next=/")
            let english = try await browser.get(path)
            #expect(Array(english.body.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(english.body.hasPrefix("\u{FEFF}participationId,personId,name,identityNumber,gender,from,to,"))
            let api = try await client.execute(
                uri: "/api/v1/esf/projects/\(r.project)/indicators?from=2016-01-01&to=2016-12-31&format=csv",
                method: .get,
                headers: [.authorization: "Bearer \(tokens[.coordinator] ?? "")"]
            )
            #expect(api.status == .ok)
            #expect(Array(api.body.readableBytesView.prefix(3)) == Array("pro".utf8), "no byte-order mark in the API's CSV")
            #expect(String(buffer: api.body).hasPrefix("projectId,indicatorSet,from,to,code,kind,name,total,women,men,other"))
        }
        await runtime.shutdown()
    }

    @Test("every text the ESF templates use is in the catalogue, in Swedish and English")
    func catalogue() async throws {
        let (runtime, _) = try await Self.fixture()
        let plugin = try ESFProjectPlugin(settings: ConfigSection(path: "features.esf", value: nil))
        let templates = try #require(try plugin.pages(context: runtime.context(for: "esf"))).templates
        #expect(templates.missingTexts.isEmpty, "missing: \(templates.missingTexts.sorted())")
        #expect(templates.strings.untranslatedKeys.isEmpty, "untranslated: \(templates.strings.untranslatedKeys)")
        await runtime.shutdown()
    }
}
