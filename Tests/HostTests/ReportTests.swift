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

    /// A bearer token of the demo host's user with `role`.
    static func token(_ runtime: HostRuntime, _ role: Role) async throws -> String {
        try await runtime.users.issueToken(user: "user-\(role)", days: 1, label: nil, actor: .system).1
    }

    /// The JSON of `GET /api/v1/reports/<path>` as `role`, and its status.
    static func api(_ client: some TestClientProtocol, _ path: String, token: String) async throws -> (HTTPResponse.Status, AssembledReport?) {
        let response = try await client.execute(uri: "/api/v1/reports/\(path)", method: .get, headers: [.authorization: "Bearer \(token)"])
        return (response.status, try? JSONDecoder().decode(AssembledReport.self, from: Data(String(buffer: response.body).utf8)))
    }

    @Test("what the fourteen years gave Café Gläntan is one page: the hours of its own supervisor, its pot, its ESF jobs, the year the unit closed marked, as a chart, a table and a CSV")
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
            #expect(page.mainText.contains("2016 37,5 330 000 kr 3 1 1"), "2016: its own supervisor's hours, the pot's spending, ESF jobs, a member, an employee")
            #expect(page.mainText.contains("ESF-jobb som började"))
            let csv = try await officer.get("/reports/support?organisation=\(cafe)&from=2001&to=2020&format=csv")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.body.contains("2016;\(cafe);Café Gläntan ek. för.;supervision;supervision.hours;Handledningstimmar;Café Gläntan ek. för.;;hours;37,5"))
        }
    }

    @Test("the API gives the same figures as JSON and CSV: Café Gläntan's ESF jobs by year, the break year, and the five cooperatives the unit supervised before and after")
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

    @Test("a supervisor sees its own provider's year but not another's (404, as a missing one); a coordinator may not read the reports")
    func reach() async throws {
        let (runtime, umbrella) = try await HostFixture.demoRuntime()
        let unit: Int = try await runtime.database.query("SELECT id FROM registry.organisations WHERE legal_form = 'municipalUnit' AND state = 'woundUp'")
            .single().decode("id")
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
                try await runtime.database.query("SELECT organisation_id FROM registry.scope_grants WHERE provider_id = \(umbrella) AND (to_date IS NULL OR to_date >= current_date)")
                    .map { try $0.decode("organisation_id") }
            )
            #expect(!seen.isEmpty && seen.isSubset(of: granted.union([umbrella])), "only its provider's reach")
        }
    }
}
