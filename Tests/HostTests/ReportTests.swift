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

/// The reports at `/reports` and `/api/v1/reports/{report}`, with the demo story: the unit's
/// supervision until it closed in 2015, then the umbrella association's and Café Gläntan's own.
@Suite("Reports")
struct ReportTests {
    static func organisation(_ runtime: HostRuntime, _ name: String) async throws -> Int {
        try await runtime.database.query("SELECT id FROM registry.organisations WHERE name = \(name)").single().decode("id")
    }

    /// The demo's municipal unit, the one that was wound up.
    static func unit(_ runtime: HostRuntime) async throws -> Int {
        try await runtime.database.query("SELECT id FROM registry.organisations WHERE legal_form = 'municipalUnit' AND state = 'woundUp'")
            .single().decode("id")
    }

    /// A bearer token of the demo host's user with `role`.
    static func token(_ runtime: HostRuntime, _ role: Role) async throws -> String {
        try await runtime.users.issueToken(user: "user-\(role)", days: 1, label: nil, actor: .system).1
    }

    /// The JSON of `GET /api/v1/reports/<path>` as `role`, and its status.
    static func api(_ client: some TestClientProtocol, _ path: String, token: String) async throws -> (HTTPResponse.Status, AssembledReport?) {
        let response = try await client.execute(uri: "/api/v1/reports/\(path)", method: .get, headers: [.authorization: "Bearer \(token)"])
        return (response.status, try? JSONDecoder().decode(AssembledReport.self, from: Data(String(buffer: response.body).utf8)))
    }

    @Test(
        "what the fourteen years gave Café Gläntan is one page: the hours of its own supervisor, its pot, its ESF jobs, the year the unit closed marked, as a chart, a table and a CSV"
    )
    func cafeGlantan() async throws {
        let (runtime, _) = try await HostFixture.demoRuntime()
        let cafe = try await Self.organisation(runtime, "Café Gläntan ek. för.")
        try await buildApplication(runtime: runtime).test(.router) { client in
            var officer = PageBrowser(client)
            try await officer.signIn("user-officer", password: HostFixture.pagePassword)
            let start = try await officer.get("/")
            #expect(start.body.contains(#"href="/reports""#), "the navigation leads to the reports")
            let index = try await officer.get("/reports")
            #expect(index.status == .ok)
            for path in ["support", "before-and-after", "money", "provider"] {
                #expect(index.body.contains(#"href="/reports/\#(path)""#))
                #expect(try await officer.get("/reports/\(path)").status == .ok, "\(path)")
            }
            let page = try await officer.get("/reports/support?organisation=\(cafe)&from=2001&to=2020")
            #expect(page.status == .ok)
            #expect(page.body.contains(#"<svg id="hours-chart" role="img" aria-labelledby="hours-chart-title hours-chart-desc""#))
            #expect(page.body.contains("Café Gläntan ek. för. fick 37,5 handledningstimmar 2001–2020"), "the description names the figures")
            #expect(page.mainText.contains("2015 (enheten lades ned)"), "the year the unit closed is marked in the table")
            #expect(page.body.contains("Enheten lades ned 2015"), "and on the chart")
            #expect(
                page.mainText.contains("2016 37,5 330 000 kr 3 1 1"),
                "2016: its own supervisor's hours, the pot's spending, ESF jobs, a member, an employee"
            )
            #expect(page.mainText.contains("ESF-jobb som började"))
            let csv = try await officer.get("/reports/support?organisation=\(cafe)&from=2001&to=2020&format=csv")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(
                csv.body.contains(
                    "2016;\(cafe);Café Gläntan ek. för.;supervision;supervision.hours;Handledningstimmar;Café Gläntan ek. för.;;hours;37,5"
                )
            )
        }
    }

    @Test(
        "the API gives the same figures as JSON and CSV: Café Gläntan's ESF jobs by year, the break year, and the five cooperatives the unit supervised before and after"
    )
    func api() async throws {
        let (runtime, umbrella) = try await HostFixture.demoRuntime()
        let cafe = try await Self.organisation(runtime, "Café Gläntan ek. för.")
        let officer = try await Self.token(runtime, .officer)
        try await buildApplication(runtime: runtime).test(.router) { client in
            let (status, report) = try await Self.api(client, "support?organisation=\(cafe)&from=2001&to=2020", token: officer)
            #expect(status == .ok)
            let jobs = report?.figures.filter { $0.measure == "esf.jobs" }.map { "\($0.year):\($0.value)" }
            #expect(jobs == ["2016:3", "2017:6", "2018:8"])
            #expect(report?.breakYear == 2015)
            #expect(report?.missing == [])
            let (_, before) = try await Self.api(client, "beforeAndAfter?from=2001&to=2020", token: officer)
            #expect(before?.organisations.count == 5, "the unit's five cooperatives")
            #expect(before?.unit?.name.isEmpty == false)
            let (_, money) = try await Self.api(client, "money?from=2001&to=2020", token: officer)
            #expect(money?.total(in: 2015) { $0.measure == "partnerships.associationGrant" && $0.stage == .paid } == 2_470_000)
            let (_, year) = try await Self.api(client, "provider?provider=\(umbrella)&from=2016&to=2016", token: officer)
            #expect(year?.figures.contains { $0.measure == "supervision.targetHours" && $0.value == 96 } == true)
            let csv = try await client.execute(
                uri: "/api/v1/reports/support?organisation=\(cafe)&from=2016&to=2016&format=csv",
                method: .get,
                headers: [.authorization: "Bearer \(officer)"]
            )
            #expect(String(buffer: csv.body).contains("2016,\(cafe),Café Gläntan ek. för.,esf,esf.jobs,ESF-jobb som började,,,count,3"))
            let (wrong, _) = try await Self.api(client, "support?from=2020&to=2001", token: officer)
            #expect(wrong == .unprocessableContent)
        }
    }

    @Test(
        "before and after chooses its unit in the page's form, the municipal unit first chosen: another unit gives its own cooperatives in the chart, the table, the CSV and the API's `provider`"
    )
    func beforeAndAfterUnit() async throws {
        let (runtime, umbrella) = try await HostFixture.demoRuntime()
        let unit = try await Self.unit(runtime)
        let cafe = try await Self.organisation(runtime, "Café Gläntan ek. för.")
        let officer = try await Self.token(runtime, .officer)
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let first = try await browser.get("/reports/before-and-after?from=2001&to=2020")
            #expect(first.body.contains(#"<select id="report-provider" name="provider">"#), "the form chooses the unit")
            #expect(first.body.contains(#"<option value="\#(unit)" selected>Enheten för sociala arbetskooperativ</option>"#))
            #expect(first.body.contains(#"<option value="\#(umbrella)">Sociala arbetskooperativens paraplyförening</option>"#))
            #expect(first.body.contains(#"<option value="\#(cafe)">Café Gläntan ek. för.</option>"#), "Café Gläntan had its own supervisor")
            #expect(first.mainText.contains("Städkooperativet Skärgården"), "the unit's five cooperatives")

            let own = try await browser.get("/reports/before-and-after?provider=\(cafe)&from=2001&to=2020")
            #expect(own.status == .ok)
            #expect(own.body.contains(#"<option value="\#(cafe)" selected>Café Gläntan ek. för.</option>"#))
            #expect(
                own.mainText.contains("Kooperativen som Café Gläntan ek. för. handledde: Café Gläntan ek. för.") && !own.mainText.contains("för.."),
                "\(own.mainText)"
            )
            #expect(!own.mainText.contains("Städkooperativet Skärgården"), "none of the unit's other cooperatives")
            #expect(own.body.contains(#"<svg id="people-chart""#))
            #expect(
                own.body.contains("/reports/before-and-after?provider=\(cafe)&amp;from=2001&amp;to=2020&amp;format=csv"),
                "the CSV link keeps the unit"
            )
            let csv = try await browser.get("/reports/before-and-after?provider=\(cafe)&from=2001&to=2020&format=csv")
            let named = Set(
                csv.body.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ";", omittingEmptySubsequences: false)[2] }
            )
            #expect(named == ["Café Gläntan ek. för."])

            let (_, unitReport) = try await Self.api(client, "beforeAndAfter?from=2001&to=2020", token: officer)
            let (status, ownReport) = try await Self.api(client, "beforeAndAfter?provider=\(cafe)&from=2001&to=2020", token: officer)
            #expect(status == .ok)
            #expect(unitReport?.organisations.count == 5)
            #expect(ownReport?.organisations.map(\.id) == [cafe], "the API's provider gives the same cooperatives as the page")
            #expect(ownReport?.unit?.id == cafe)
            #expect(Set(ownReport?.units?.map(\.id) ?? []) == [unit, umbrella, cafe], "the units to choose from")
            #expect(try await Self.api(client, "beforeAndAfter?provider=999999", token: officer).0 == .notFound)
        }
    }

    @Test("a supervisor sees its own provider's year but not another's (404, as a missing one); a coordinator may not read the reports")
    func reach() async throws {
        let (runtime, umbrella) = try await HostFixture.demoRuntime()
        let unit = try await Self.unit(runtime)
        let supervisor = try await Self.token(runtime, .supervisor)
        let coordinator = try await Self.token(runtime, Role(rawValue: "coordinator"))
        try await buildApplication(runtime: runtime).test(.router) { client in
            #expect(try await Self.api(client, "provider?provider=\(umbrella)", token: supervisor).0 == .ok)
            #expect(try await Self.api(client, "provider?provider=\(unit)", token: supervisor).0 == .notFound)
            #expect(try await Self.api(client, "provider?provider=999999", token: supervisor).0 == .notFound)
            #expect(try await Self.api(client, "support", token: coordinator).0 == .forbidden)
            let (_, support) = try await Self.api(client, "support?from=2001&to=2020", token: supervisor)
            let seen = Set(support?.figures.compactMap(\.organisationID) ?? [])
            let granted: Set<Int> = Set(
                try await runtime.database.query(
                    "SELECT organisation_id FROM registry.scope_grants WHERE provider_id = \(umbrella) AND (to_date IS NULL OR to_date >= current_date)"
                )
                .map { try $0.decode("organisation_id") }
            )
            #expect(!seen.isEmpty && seen.isSubset(of: granted.union([umbrella])), "only its provider's reach")
        }
    }

    @Test(
        "the unit's yearly cost: an officer enters it through the API or the unit's page, audited, and where the money went shows it until the unit closed; a cooperative has none (409), a bad amount names /amount, a supervisor may not"
    )
    func unitCost() async throws {
        let (runtime, _) = try await HostFixture.demoRuntime()
        let unit = try await Self.unit(runtime)
        let cafe = try await Self.organisation(runtime, "Café Gläntan ek. för.")
        let officer = try await Self.token(runtime, .officer)
        let supervisor = try await Self.token(runtime, .supervisor)
        try await buildApplication(runtime: runtime).test(.router) { client in
            func post(_ id: Int, _ body: String, token: String) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(
                    uri: "/api/v1/registry/organisations/\(id)/costs",
                    method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(string: body)
                )
                return (response.status, String(buffer: response.body))
            }
            let (_, demo) = try await Self.api(client, "money?from=2001&to=2020", token: officer)
            let costs = demo?.figures.filter { $0.measure == "registry.unitCost" } ?? []
            #expect(costs.map(\.year) == Array(2001...2015), "the demo's unit cost every year it ran, none after it closed")
            #expect(demo?.total(in: 2014) { $0.measure == "registry.unitCost" && $0.stage == .paid } == 2_160_000)

            let (status, body) = try await post(unit, #"{"year": 2014, "amount": 2200000.5}"#, token: officer)
            #expect(status == .ok)
            #expect(body.contains(#""amount":2200000.5"#))
            let (_, changed) = try await Self.api(client, "money?from=2014&to=2014", token: officer)
            #expect(
                changed?.figures.filter { $0.measure == "registry.unitCost" }.map(\.value) == [Decimal(string: "2200000.5")!],
                "entered again, it replaces the year's figure"
            )
            let audit = try await HostFixture.count(
                runtime,
                "SELECT count(*) AS n FROM kernel.audit_log WHERE entity = 'unitCost' AND entity_id = \("\(unit)/2014") AND action = 'set' AND actor = 'user-officer'"
            )
            #expect(audit == 1)

            #expect(
                try await post(cafe, #"{"year": 2014, "amount": 1000}"#, token: officer).0 == .conflict,
                "a cooperative is not the municipality's unit"
            )
            let (negative, problem) = try await post(unit, #"{"year": 2014, "amount": -5}"#, token: officer)
            #expect(negative == .unprocessableContent && problem.contains("/amount"))
            #expect(try await post(unit, #"{"year": 1800, "amount": 5}"#, token: officer).0 == .unprocessableContent)
            #expect(try await post(unit, #"{"year": 2014, "amount": 5}"#, token: supervisor).0 == .forbidden)

            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let money = try await browser.get("/reports/money?from=2001&to=2020")
            #expect(money.body.contains(#"<svg id="money-chart""#))
            #expect(
                money.mainText.contains("Kommunens kostnad för den egna enheten"),
                "the unit's cost is a series of the chart and a column of the table"
            )
            #expect(money.body.contains("/registry/forms/setUnitCost?"), "the officer is offered the form")
            let form = try await browser.get("/registry/forms/setUnitCost?id=\(unit)")
            #expect(form.status == .ok && form.mainText.contains("Enhetens kostnad för ett år"))
            let page = try await browser.get("/registry/organisations/\(unit)")
            #expect(page.body.contains("/registry/forms/setUnitCost?"), "and on the unit's own page")
            let cafePage = try await browser.get("/registry/organisations/\(cafe)")
            #expect(!cafePage.body.contains("setUnitCost"), "not on a cooperative's")
        }
    }

    @Test("a report whose feature is switched off leaves that part out and says so, in the page and the API (200, `missing` names it), not a failure")
    func featureOff() async throws {
        let features = HostFixture.everyFeature.split(separator: "\n").filter { !$0.hasPrefix("esf:") && !$0.hasPrefix("partnerships:") }
            .joined(separator: "\n")
        let runtime = try await HostFixture.accessRuntime(features: features, plugins: AvailablePlugins.all)
        try await runtime.loadDemo()
        let cafe = try await Self.organisation(runtime, "Café Gläntan ek. för.")
        let umbrella: Int = try await runtime.database.query(
            "SELECT id FROM registry.organisations WHERE kind = 'socialEconomyOrganisation' ORDER BY id LIMIT 1"
        ).single().decode("id")
        _ = try await HostFixture.tokensPerRole(runtime, provider: umbrella)
        try await HostFixture.setPagePasswords(runtime)
        let officer = try await Self.token(runtime, .officer)
        try await buildApplication(runtime: runtime).test(.router) { client in
            let (status, report) = try await Self.api(client, "support?organisation=\(cafe)&from=2001&to=2020", token: officer)
            #expect(status == .ok)
            #expect(report?.missing == ["partnerships", "esf"])
            #expect(report?.figures.contains { $0.feature == "esf" || $0.feature == "partnerships" } == false)
            #expect(report?.figures.contains { $0.measure == "supervision.hours" } == true, "the parts of the features on are there")
            let (_, money) = try await Self.api(client, "money?from=2001&to=2020", token: officer)
            #expect(money?.missing == ["partnerships", "esf"])
            #expect(money?.figures.contains { $0.measure == "registry.unitCost" } == true)
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let named = [
                ("support?organisation=\(cafe)", "Partnerskap och bidrag, ESF-projektet"), ("before-and-after", "ESF-projektet"),
                ("money", "Partnerskap och bidrag, ESF-projektet"), ("provider?provider=\(umbrella)", "Partnerskap och bidrag"),
            ]
            for (path, parts) in named {
                let page = try await browser.get("/reports/\(path)")
                #expect(page.status == .ok, "\(path)")
                #expect(page.mainText.contains("Delar saknas eftersom funktionerna är avstängda: \(parts)."), "\(path) names the parts left out")
            }
        }
    }
}
