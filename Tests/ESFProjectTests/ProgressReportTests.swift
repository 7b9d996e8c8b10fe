import CSVKit
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

/// The progress report for the ESF council (issue 23, report 4) with the demo story's figures,
/// worked out by hand from the story: over the project's first year, 2015-10-01…2016-09-30, the
/// participants are those whose entry day (the start + 5 days × their number) falls in it,
/// numbers 0–73, 74 people of whom the even numbers (37) are women; the first quarter's costs
/// are the project manager's 465.48 hours at 620 000 kr / 1 862 = 332.98 kr (154 995.53 kr),
/// 85 000 kr of coaching and the indirect 15 % of staff (23 249.33 kr), 263 244.86 kr eligible
/// and half of it, 131 622.43 kr, claimed and paid.
@Suite("ESF progress report")
struct ProgressReportTests {
    static let firstYear = (LocalDate("2015-10-01")!, LocalDate("2016-09-30")!)

    @Test("the first project year of the demo story, as the coordinator reads it: every section with its hand-computed figures")
    func firstYear() async throws {
        try await PastDayTests.withDemo { store, project in
            let report = try await store.database.withConnection { db in
                try store.progressReport(ofProject: project, from: Self.firstYear.0, to: Self.firstYear.1, special: true, in: db)
            }
            // Every month of the year was submitted on its due day, the last (September) on 2016-10-28.
            #expect(report.definitionsOn == LocalDate("2016-10-28"))
            #expect(report.participants.inPeriod == .init(total: 74, women: 37, men: 37, other: 0))
            #expect(report.participants.toDate == report.participants.inPeriod, "the year is the project's first")
            // 74 people in 366 days, in a straight line over the 1 096 days to 2018-09-30: 221, above the 200 of the target.
            #expect(report.participants.projected == 221)
            #expect(report.participants.onTrack == true)
            // Six jobs began by 2016-09-30 (three for women); 6 × 1 919 / 366 days to 2020-12-31 is 31 of 1000.
            #expect(report.jobs.toDate == .init(total: 6, women: 3, men: 3, other: 0))
            #expect(report.jobs.projected == 31)
            #expect(report.jobs.onTrack == false)

            let co01 = try #require(report.indicators.first { $0.code == "CO01" })
            // Unemployed or long-term unemployed at entry: pairs 0, 1 and 3 of every six.
            #expect(co01.inPeriod == .init(total: 38, women: 19, men: 19, other: 0))
            #expect((co01.target, co01.targetWomen, co01.targetMen) == (120, 60, 60))
            let cr04 = try #require(report.indicators.first { $0.code == "CR04" })
            // In employment on leaving: every fourth number; four women left so in the year.
            #expect(cr04.inPeriod == .init(total: 4, women: 4, men: 0, other: 0))
            #expect(report.indicators.first { $0.code == "CO15" }?.restricted == false)

            let budget = Dictionary(uniqueKeysWithValues: report.budget.map { ($0.category, $0) })
            #expect(budget[.staff]?.toDate == Decimal(string: "154995.53"))
            #expect(budget[.staff]?.budget == 21_400_000)
            #expect(budget[.staff]?.remaining == Decimal(string: "21245004.47"))
            #expect(budget[.externalServices]?.inPeriod == 85_000)
            #expect(budget[.indirectCosts]?.toDate == Decimal(string: "23249.33"))
            #expect(budget[.financing]?.toDate == 150_500)
            #expect(report.eligible.toDate == Decimal(string: "263244.86"))

            let sources = Dictionary(uniqueKeysWithValues: report.coFinancing.bySource.map { ($0.source, $0.toDate) })
            #expect(sources == [.municipality: 42_000, .otherPublicBody: 96_000, .private: 12_500])
            #expect(report.coFinancing.inKind.toDate == 150_500)
            #expect(report.coFinancing.inKindBudget == 3_090_000)
            #expect(report.coFinancing.required.toDate == Decimal(string: "131622.43"))

            #expect(report.claims.map(\.state) == [.paid])
            #expect(report.claims.first?.submittedOn == LocalDate("2016-02-10"))
            #expect(report.claimed == .init(inPeriod: Decimal(string: "131622.43")!, toDate: Decimal(string: "131622.43")!))
            #expect(report.paid == report.claimed)
        }
    }

    @Test("a reader without special-category access: special indicators restricted, gender cells under 5 read '< 5', the rest exact")
    func suppressed() async throws {
        try await PastDayTests.withDemo { store, project in
            let report = try await store.database.withConnection { db in
                try store.progressReport(ofProject: project, from: Self.firstYear.0, to: Self.firstYear.1, special: false, in: db)
            }
            let cr04 = try #require(report.indicators.first { $0.code == "CR04" })
            #expect(cr04.inPeriod == .init(total: .fewerThanFive, women: .fewerThanFive, men: .fewerThanFive, other: .fewerThanFive))
            let co15 = try #require(report.indicators.first { $0.code == "CO15" })
            #expect(co15.restricted && co15.inPeriod == nil && co15.toDate == nil)
            #expect(report.indicators.first { $0.code == "CO01" }?.inPeriod?.women == .exact(19))
            #expect(!report.csv.text.contains("CO15"))
            #expect(report.csv.text.contains("indicator,CR04,"))
        }
    }

    @Test("as of the period's end: a claim counts as made from the day it was submitted and as paid from the day it was")
    func asOfPeriodEnd() async throws {
        try await PastDayTests.withDemo { store, project in
            func report(_ from: String, _ to: String) async throws -> ProgressReport {
                try await store.database.withConnection { db in
                    try store.progressReport(ofProject: project, from: LocalDate(from)!, to: LocalDate(to)!, special: true, in: db)
                }
            }
            // The first quarter's claim was submitted on 2016-02-10, after the quarter.
            let quarter = try await report("2015-10-01", "2015-12-31")
            #expect(quarter.claims.isEmpty)
            #expect(quarter.claimed.toDate == 0)
            #expect(quarter.coFinancing.inKind.inPeriod == 150_500)
            // By 2016-03-31 it was made, not yet paid (2016-05-20).
            let spring = try await report("2016-01-01", "2016-03-31")
            #expect(spring.claims.map(\.state) == [.submitted])
            #expect(spring.claimed.inPeriod == Decimal(string: "131622.43"))
            #expect(spring.paid.toDate == 0)
            #expect(spring.budget.first { $0.category == .staff }?.inPeriod == 0)
            #expect(spring.budget.first { $0.category == .staff }?.toDate == Decimal(string: "154995.53"))
            let refused = await #expect(throws: FeatureError.self) { try await report("2016-03-31", "2016-01-01") }
            #expect(refused?.field == "to")
        }
    }

    @Test("the CSV: one figure a line, decimal points in the API's RFC 4180")
    func csv() async throws {
        try await PastDayTests.withDemo { store, project in
            let report = try await store.database.withConnection { db in
                try store.progressReport(ofProject: project, from: Self.firstYear.0, to: Self.firstYear.1, special: true, in: db)
            }
            let lines = report.csv.text.components(separatedBy: "\r\n")
            #expect(lines.first == "projectId,from,to,section,item,name,measure,value")
            let prefix = "\(project),2015-10-01,2016-09-30,"
            #expect(lines.contains(prefix + "participants,participants,,totalToDate,74"))
            #expect(lines.contains(prefix + "participants,participants,,projected,221"))
            #expect(lines.contains(prefix + "budget,staff,,toDate,154995.53"))
            #expect(lines.contains(prefix + "coFinancing,otherPublicBody,,toDate,96000.00"))
            #expect(lines.contains(prefix + "claims,paid,,toDate,131622.43"))
            #expect(lines.contains { $0.hasPrefix(prefix + "indicator,CO01,") && $0.hasSuffix(",womenInPeriod,19") })
        }
    }

    @Test("an indicator target: set and replaced (audited), refused for an unknown code or women and men above the total")
    func targets() async throws {
        try await ESFFixture.with { f in
            let draft = IndicatorTargetDraft(total: 40, women: 25, men: 15)
            let set = try await f.write { store, tx in
                try store.setIndicatorTarget(draft, project: f.project, code: "CO02", actor: ESFFixture.actor, in: tx)
            }
            #expect(set == IndicatorTarget(projectId: f.project, code: "CO02", total: 40, women: 25, men: 15))
            _ = try await f.write { store, tx in
                try store.setIndicatorTarget(.init(total: 50), project: f.project, code: "CO02", actor: ESFFixture.actor, in: tx)
            }
            let stored = try await f.read { store, db in try store.indicatorTargets(ofProject: f.project, in: db) }
            #expect(stored["CO02"] == IndicatorTarget(projectId: f.project, code: "CO02", total: 50))
            let audited: Int = try await f.database.query(
                "SELECT count(*) AS n FROM kernel.audit_log WHERE entity = 'indicatorTarget' AND entity_id = \("\(f.project)/CO02")"
            ).single().decode("n")
            #expect(audited == 2)
            let unknown = await #expect(throws: FeatureError.self) {
                try await f.write { store, tx in
                    try store.setIndicatorTarget(draft, project: f.project, code: "XX99", actor: ESFFixture.actor, in: tx)
                }
            }
            #expect(unknown?.code == .notFound)
            let above = await #expect(throws: FeatureError.self) {
                try await f.write { store, tx in
                    try store.setIndicatorTarget(
                        .init(total: 30, women: 20, men: 15),
                        project: f.project,
                        code: "CO02",
                        actor: ESFFixture.actor,
                        in: tx
                    )
                }
            }
            #expect(above?.field == "/men")
        }
    }

    /// A host with every feature on and the demo loaded, a token per role and the page passwords.
    static func demoHost() async throws -> (HostRuntime, [Role: String], Int) {
        let runtime = try await HostFixture.accessRuntime(features: HostFixture.everyFeature, plugins: AvailablePlugins.all)
        try await runtime.loadDemo()
        let umbrella: Int = try await runtime.database.query(
            "SELECT id FROM registry.organisations WHERE kind = 'socialEconomyOrganisation' ORDER BY id LIMIT 1"
        ).single().decode("id")
        let tokens = try await HostFixture.tokensPerRole(runtime, provider: umbrella)
        try await HostFixture.setPagePasswords(runtime)
        let project: Int = try await runtime.database.query("SELECT id FROM esf.projects WHERE case_number = \(ESFDemo.caseNumber)").single()
            .decode("id")
        return (runtime, tokens, project)
    }

    @Test("over HTTP: the API for the readers (JSON and CSV, '< 5' without special-category access), the page with its charts and its Excel download")
    func overHTTP() async throws {
        let (runtime, tokens, project) = try await Self.demoHost()
        try await buildApplication(runtime: runtime).test(.router) { client in
            let path = "/api/v1/esf/projects/\(project)/progress-report?from=2015-10-01&to=2016-09-30"
            for role in Role.walked(in: runtime) {
                let answer = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(tokens[role]!)"])
                let reads = [Role.coordinator, .officer, .admin, .auditor].contains(role)
                #expect(answer.status == (reads ? .ok : .forbidden), "\(role)")
                guard reads else { continue }
                let report = try JSONDecoder().decode(ProgressReport.self, from: Data(String(buffer: answer.body).utf8))
                #expect(report.participants.toDate.total == 74)
                let cr04 = report.indicators.first { $0.code == "CR04" }?.inPeriod?.women
                #expect(cr04 == (role == .coordinator ? .exact(4) : .fewerThanFive), "\(role)")
                #expect(report.indicators.first { $0.code == "CO16" }?.restricted == (role != .coordinator))
            }
            let csv = try await client.execute(
                uri: path + "&format=csv",
                method: .get,
                headers: [.authorization: "Bearer \(tokens[.officer]!)"]
            )
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let text = String(buffer: csv.body)
            #expect(text.contains(",budget,staff,,toDate,154995.53\r\n"))
            #expect(text.contains(",indicator,CR04,") && text.contains(",womenInPeriod,< 5\r\n"))
            let missing = try await client.execute(
                uri: "/api/v1/esf/projects/\(project)/progress-report?from=2015-10-01",
                method: .get,
                headers: [.authorization: "Bearer \(tokens[.officer]!)"]
            )
            #expect(missing.status == .unprocessableContent)
            let target = try await client.execute(
                uri: "/api/v1/esf/projects/\(project)/indicator-targets/CO02",
                method: .put,
                headers: [.authorization: "Bearer \(tokens[.officer]!)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"total": 80}"#)
            )
            #expect(target.status == .forbidden, "an officer reads the report but sets no target")

            for role in Role.walked(in: runtime) {
                var browser = PageBrowser(client)
                try await browser.signIn("user-\(role)", password: HostFixture.pagePassword)
                let reads = [Role.coordinator, .officer, .admin, .auditor].contains(role)
                let page = try await browser.get("/esf/progress-report?project=\(project)&period=2015-10-01..2016-09-30")
                #expect(page.status == (reads ? .ok : .forbidden), "\(role)")
                let start = try await browser.get("/")
                #expect(start.body.contains(#"href="/esf/progress-report""#) == reads, "\(role) navigation")
                guard reads else { continue }
                for chart in ["indicators-chart", "targets-chart", "budget-chart", "cofinancing-chart", "claims-chart"] {
                    #expect(page.body.contains(#"<svg id="\#(chart)" role="img""#), "\(role) \(chart)")
                    #expect(page.body.contains(#"<title id="\#(chart)-title">"#))
                    #expect(page.body.contains(#"<desc id="\#(chart)-desc">"#))
                    #expect(page.body.contains(#"<table id="\#(chart)-table">"#))
                }
                #expect(page.body.contains("154\u{00A0}995,53\u{00A0}kr"), "the staff outcome in Swedish kronor")
                #expect(page.body.contains(#"<option value="2015-10-01..2016-09-30" selected>"#))
                #expect(
                    page.body.contains("Ange mål") == [.coordinator, .admin].contains(role),
                    "\(role): the target form only with esf.project.write"
                )
                let download = try await browser.get("/esf/progress-report?project=\(project)&period=2015-10-01..2016-09-30&format=csv")
                #expect(download.status == .ok)
                #expect(download.body.hasPrefix("\u{FEFF}projectId;from;to;section;item;name;measure;value"))
                #expect(download.body.contains(";budget;staff;;toDate;154995,53\r\n"), "Swedish Excel: ; and a decimal comma")
            }
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let bad = try await browser.get("/esf/progress-report?project=\(project)&period=2016-09-30..2015-10-01")
            #expect(bad.status == .unprocessableContent)
            let unknown = try await browser.get("/esf/progress-report?project=\(project + 1000)")
            #expect(unknown.status == .notFound)
        }
        await runtime.shutdown()
    }
}
