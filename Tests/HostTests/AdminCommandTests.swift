import DataAccess
import ESFProject
import Education
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PartnershipAgreements
import PluginKit
import Supervision
import TestSupport
import Testing

@testable import Host

/// Runs the built `kooperator` executable, as an operator would.
enum Kooperator {
    static let executable = TestPostgres.packageRoot + "/.build/debug/kooperator"

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
        var lastLine: String { stdout.split(separator: "\n").last.map(String.init) ?? "" }
    }

    /// Runs the executable on a Dispatch thread (see `offload`), never blocking the cooperative pool.
    static func run(_ arguments: [String], config: String?, in directory: String? = nil, environment: [String: String] = [:]) async throws -> Output {
        try await offload { try runBlocking(arguments, config: config, in: directory, environment: environment) }
    }

    /// Runs with `--config config`, or without it (the default `config/kooperator.yaml`) in `directory`.
    static func runBlocking(
        _ arguments: [String],
        config: String?,
        in directory: String? = nil,
        environment extra: [String: String] = [:]
    ) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments + (config.map { ["--config", $0] } ?? [])
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["KOOPERATOR_IDENTITY_KEY"] = HostFixture.testKey
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }
}

@Suite("Admin commands: users, tokens, audit, registry, demo", .enabled(if: FileManager.default.isExecutableFile(atPath: Kooperator.executable)))
struct AdminCommandTests {
    @Test("users add, tokens issue (the token is the last line and works), tokens list never shows it, revoke stops it")
    func usersAndTokens() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let config = try HostFixture.writeConfig(HostFixture.yaml(url: url, features: "", extra: "security:\n  tokenCacheSeconds: 0"))
        defer { try? FileManager.default.removeItem(atPath: config) }
        #expect(try await Kooperator.run(["migrate"], config: config).status == 0)

        let supervisorWithoutOrganisation = try await Kooperator.run(["users", "add", "sara", "--role", "supervisor"], config: config)
        #expect(supervisorWithoutOrganisation.status == 1)
        #expect(supervisorWithoutOrganisation.stderr.contains("--organisation"))

        let added = try await Kooperator.run(
            ["users", "add", "birgitta", "--role", "officer", "--display-name", "Birgitta Nordström"],
            config: config
        )
        #expect(added.status == 0, "\(added.stderr)")
        let issued = try await Kooperator.run(["tokens", "issue", "birgitta", "--expires-in-days", "7", "--label", "laptop"], config: config)
        #expect(issued.status == 0, "\(issued.stderr)")
        let token = issued.lastLine
        #expect(token.hasPrefix("kop_") && token.count > 40)

        let listed = try await Kooperator.run(["tokens", "list", "birgitta"], config: config)
        #expect(listed.stdout.contains("laptop"))
        #expect(!listed.stdout.contains(token))
        let users = try await Kooperator.run(["users", "list"], config: config)
        #expect(users.stdout.contains("birgitta") && users.stdout.contains("officer"))

        let runtime = try HostFixture.runtime(url: url, features: "", extra: "security:\n  tokenCacheSeconds: 0")
        try await buildApplication(runtime: runtime).test(.router) { client in
            let ok = try await client.execute(uri: "/api/v1/registry/organisations", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(ok.status == .ok)
            let stored = try await runtime.database.query("SELECT encode(hash, 'hex') AS hash FROM kernel.tokens").single().decode(
                "hash",
                as: String.self
            )
            #expect(!stored.contains(token) && stored.count == 64)

            #expect(try await Kooperator.run(["tokens", "revoke", "1"], config: config).status == 0)
            let revoked = try await client.execute(uri: "/api/v1/registry/organisations", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(revoked.status == .unauthorized)
        }

        let audit = try await Kooperator.run(["audit", "--entity", "kernel.token"], config: config)
        #expect(audit.status == 0)
        #expect(audit.stdout.contains("revoke") && audit.stdout.contains("issue") && audit.stdout.contains("cli:"))
        #expect(!audit.stdout.contains(token))
    }

    @Test("registry commands print masked identity numbers; erase is audited; the demo story loads twice without change")
    func registryAndDemo() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let config = try HostFixture.writeConfig(HostFixture.yaml(url: url, features: ""))
        defer { try? FileManager.default.removeItem(atPath: config) }
        let first = try await Kooperator.run(["demo", "load", "--migrate"], config: config)
        #expect(first.status == 0, "\(first.stderr)")
        let runtime = try HostFixture.runtime(url: url, features: "")
        func counts() async throws -> [Int] {
            let row = try await runtime.database.query(
                """
                SELECT (SELECT count(*) FROM registry.organisations) AS o, (SELECT count(*) FROM registry.people) AS p,
                       (SELECT count(*) FROM registry.roles) AS r, (SELECT count(*) FROM kernel.users) AS u,
                       (SELECT count(*) FROM registry.organisations WHERE kind = 'cooperative') AS c,
                       (SELECT count(*) FROM registry.organisations WHERE state = 'woundUp') AS w
                """
            ).single()
            return try ["o", "p", "r", "u", "c", "w"].map { try row.decode($0, as: Int.self) }
        }
        let once = try await counts()
        #expect(once[4] == 5, "five cooperatives")
        #expect(once[5] == 1, "the municipal unit is wound up")
        #expect(once[3] == 5, "one demo user per role")
        #expect(try await Kooperator.run(["demo", "load"], config: config).status == 0)
        #expect(try await counts() == once)

        let found = try await Kooperator.run(["registry", "person", "find", "--identity-number", "8507224569"], config: config)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("Åsa Öberg") && found.stdout.contains("19850722-****"))
        #expect(!found.stdout.contains("4569"))

        let added = try await Kooperator.run(
            ["registry", "person", "add", "--name", "Kim Test", "--identity-number", "19000101+0009"],
            config: config
        )
        #expect(added.status != 0)
        #expect(!added.stderr.contains("0009"))

        let id = try await runtime.database.query("SELECT id FROM registry.people WHERE name = 'Åsa Öberg'").single().decode("id", as: Int.self)
        let updated = try await Kooperator.run(["registry", "person", "update", String(id), "--phone", "070-123 45 67"], config: config)
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(updated.stdout.contains("070-123 45 67") && updated.stdout.contains("19850722-****"))
        let badNumber = try await Kooperator.run(["registry", "person", "update", String(id), "--identity-number", "850722-4568"], config: config)
        #expect(badNumber.status == 1)
        #expect(badNumber.stderr.contains("check digit") && badNumber.stderr.contains("/identityNumber"))
        let cooperative = try await runtime.database.query("SELECT id FROM registry.organisations WHERE name = 'Café Gläntan ek. för.'").single()
            .decode("id", as: Int.self)
        let renamed = try await Kooperator.run(["registry", "organisation", "update", String(cooperative), "--name", "Café Gläntan"], config: config)
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(renamed.stdout.contains("\"name\" : \"Café Gläntan\""))
        let erased = try await Kooperator.run(["registry", "person", "erase", String(id)], config: config)
        #expect(erased.status == 0, "\(erased.stderr)")
        let after = try await Kooperator.run(["registry", "person", "show", String(id)], config: config)
        #expect(!after.stdout.contains("Öberg") && after.stdout.contains("Pseudonym"))
        let audit = try await Kooperator.run(["audit", "--entity", "registry.person:\(id)", "--json"], config: config)
        #expect(audit.stdout.contains("\"action\":\"erase\""))
        #expect(!audit.stdout.contains("Öberg"))
        await runtime.shutdown()
    }

    @Test(
        "supervision commands: the demo story loads twice without change, the report as CSV, a refused handover names the field; no --config needed"
    )
    func supervision() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kooperator-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/config", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try HostFixture.yaml(url: url, features: "supervision: { enabled: true, inactivityDays: 45 }")
            .write(toFile: directory + "/config/kooperator.yaml", atomically: true, encoding: .utf8)
        func run(_ arguments: [String]) async throws -> Kooperator.Output { try await Kooperator.run(arguments, config: nil, in: directory) }
        #expect(try await run(["demo", "load", "--migrate"]).status == 0)
        let runtime = try HostFixture.runtime(url: url, features: "supervision: { enabled: true }", plugins: [SupervisionPlugin.self])
        func counts() async throws -> [Int] {
            let row = try await runtime.database.query(
                """
                SELECT (SELECT count(*) FROM supervision.assignments) AS a, (SELECT count(*) FROM supervision.sessions) AS s,
                       (SELECT count(*) FROM supervision.handovers) AS h, (SELECT count(*) FROM supervision.funding_pots) AS p,
                       (SELECT count(*) FROM supervision.assignments a JOIN kernel.users u ON u.id = a.supervisor_user_id
                        WHERE u.name = 'demo-supervisor' AND u.organisation_id = a.provider_id) AS sa,
                       (SELECT count(*) FROM supervision.funding_pots p JOIN kernel.users u ON u.id = p.caseworker_user_id
                        WHERE u.name = 'demo-officer') AS op,
                       (SELECT count(*) FROM kernel.audit_log WHERE feature = 'supervision') AS audited
                """
            ).single()
            return try ["a", "s", "h", "p", "sa", "op", "audited"].map { try row.decode($0, as: Int.self) }
        }
        let once = try await counts()
        #expect(once[4] == 4, "the umbrella association's four assignments in force name the demo supervisor")
        #expect(once[5] == 2, "the two pots of recent months name the demo caseworker")
        #expect(once[2] == 1, "one handover")
        #expect(once[3] == 3, "Café Gläntan's pot and the two of recent months")
        #expect(once[1] > 100, "a year of sessions")
        #expect(try await run(["demo", "load"]).status == 0)
        #expect(try await counts() == once)

        let report = try await run(["supervision", "report", "--period", "2016", "--as-of", "2016-12-31", "--format", "csv"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.hasPrefix("period,cooperativeId,cooperative,sessions,hours,targetHours,percentOfTarget\r\n"))
        #expect(report.stdout.contains("Café Gläntan ek. för.,24,37.5"))
        let table = try await run(["supervision", "report", "--as-of", "2017-03-01"])
        #expect(table.stdout.contains("No session in 45 days"), "the configured inactivity limit")

        let unit = try await runtime.database.query("SELECT id FROM registry.organisations WHERE name = 'Enheten för sociala arbetskooperativ'")
            .single()
            .decode("id", as: Int.self)
        let umbrella = try await runtime.database.query(
            "SELECT id FROM registry.organisations WHERE name = 'Sociala arbetskooperativens paraplyförening'"
        )
        .single().decode("id", as: Int.self)
        let refused = try await run(["supervision", "handover", "--from", String(umbrella), "--to", String(unit), "--on", "2020-01-01"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("wound up") && refused.stderr.contains("/toProviderId"), "\(refused.stderr)")
        let preview = try await run(["supervision", "handover", "--from", String(umbrella), "--to", String(unit), "--on", "2015-06-01", "--preview"])
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdout.contains("would move 4 assignment(s)"))
        #expect(try await counts() == once)

        // Switched off: the commands say so, and the data stays.
        let disabled = try await Kooperator.run(
            ["supervision", "report"],
            config: nil,
            in: directory,
            environment: ["KOOPERATOR_FEATURES_SUPERVISION_ENABLED": "false"]
        )
        #expect(disabled.status == 2)
        #expect(disabled.stderr.contains("disabled"))
        #expect(try await counts() == once)
        await runtime.shutdown()
    }

    @Test(
        "education commands: the demo's three circles of 2001–2003 and the one running now load once; the old ones pass the rule check and show in the period report"
    )
    func education() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let config = try HostFixture.writeConfig(HostFixture.yaml(url: url, features: "education: { enabled: true }"))
        defer { try? FileManager.default.removeItem(atPath: config) }
        #expect(try await Kooperator.run(["demo", "load", "--migrate"], config: config).status == 0)
        #expect(try await Kooperator.run(["demo", "load"], config: config).status == 0)
        let runtime = try HostFixture.runtime(url: url, features: "education: { enabled: true }", plugins: [EducationPlugin.self])
        let circles = try await runtime.database.query("SELECT id, state FROM education.circles ORDER BY id")
        #expect(circles.count == 4)
        #expect(try circles.map { try $0.decode("state", as: String.self) } == ["reported", "reported", "reported", "running"])
        let unticked = try await runtime.database.query(
            "SELECT count(*) AS n FROM education.meetings m WHERE m.circle_id = \(try circles[3].decode("id", as: Int.self)) AND NOT EXISTS (SELECT 1 FROM education.attendance a WHERE a.meeting_id = m.id AND a.present)"
        ).single().decode("n", as: Int.self)
        #expect(unticked == 1, "the running circle's last meeting waits for its attendance")
        let first: Int = try circles[0].decode("id")
        let check = try await Kooperator.run(["education", "check", String(first)], config: config)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("presentPerMeeting") && check.stdout.contains("10 meetings, 30 study hours"))
        let report = try await Kooperator.run(["education", "report", "--from", "2001-01-01", "--to", "2003-12-31", "--csv"], config: config)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("Studieförbundet Kunskapsvägen,3,30,90,"))
        let bad = try await Kooperator.run(
            ["education", "circle", "meeting", String(first), "--start", "2003-06-01T18:00", "--minutes", "90"],
            config: config
        )
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("reported") && bad.stderr.contains("/startsAt"))
        let formed = try await runtime.database.query("SELECT count(*) AS n FROM kernel.outbox WHERE name = 'education.circleFormedCooperative'")
            .single()
        #expect(try formed.decode("n", as: Int.self) == 1)
        await runtime.shutdown()
    }

    @Test(
        "esf commands: the demo's project loads once with 200 participants, shows progress and indicators, and a bad import exits 1 naming every row"
    )
    func esf() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let config = try HostFixture.writeConfig(HostFixture.yaml(url: url, features: "esf: { enabled: true }"))
        defer { try? FileManager.default.removeItem(atPath: config) }
        #expect(try await Kooperator.run(["demo", "load", "--migrate"], config: config).status == 0)
        #expect(try await Kooperator.run(["demo", "load"], config: config).status == 0)
        let runtime = try HostFixture.runtime(url: url, features: "esf: { enabled: true }", plugins: [ESFProjectPlugin.self])
        let project: Int = try await runtime.database.query("SELECT id FROM esf.projects WHERE case_number = '2015/00254'").single().decode("id")
        let participants: Int = try await runtime.database.query("SELECT count(*) AS n FROM esf.participations WHERE project_id = \(project)")
            .single()
            .decode("n")
        #expect(participants == 200)
        let coordinators = try await runtime.database.query(
            "SELECT p.case_number, u.name FROM esf.projects p LEFT JOIN kernel.users u ON u.id = p.coordinator_user_id ORDER BY p.id"
        ).map { "\(try $0.decode("case_number", as: String.self)): \(try $0.decode("name", as: String?.self) ?? "-")" }
        #expect(coordinators.contains("2025/00731: demo-coordinator"), "the current project names the demo coordinator: \(coordinators)")
        #expect(coordinators.contains("2015/00254: -"), "the project of 2015–2018 names nobody")
        let progress = try await Kooperator.run(["esf", "project", "progress", String(project), "--as-of", "2018-09-30"], config: config)
        #expect(progress.status == 0, "\(progress.stderr)")
        #expect(progress.stdout.contains("of 1000 by 2020-12-31") && progress.stdout.contains("not on track"))
        let indicators = try await Kooperator.run(
            ["esf", "indicators", "report", "--project", String(project), "--from", "2015-10-01", "--to", "2018-09-30", "--format", "csv"],
            config: config
        )
        #expect(indicators.status == 0, "\(indicators.stderr)")
        #expect(indicators.stdout.contains("CO01,output"))
        let file = NSTemporaryDirectory() + "esf-bad-\(UUID().uuidString).csv"
        try "identity_number,employer_organisation_number,from,employment_form,share_percent\n19850505-1239,7696187652,2016-01-09,ordinary,100\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let bad = try await Kooperator.run(["esf", "import", file, "--project", String(project)], config: config)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("/lines/2/identity_number") && bad.stderr.contains("nothing was imported"))
        let months = try await Kooperator.run(["esf", "monthly", "list", "--project", String(project)], config: config)
        #expect(months.stdout.contains("2016-09") && months.stdout.contains("submitted"))
        await runtime.shutdown()
    }

    @Test("partnerships commands: the demo story loads twice without change, the grant ledger as CSV, follow-up, refused changes name the field")
    func partnerships() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let config = try HostFixture.writeConfig(HostFixture.yaml(url: url, features: "partnerships: { enabled: true, reminder_days: 90 }"))
        defer { try? FileManager.default.removeItem(atPath: config) }
        let loaded = try await Kooperator.run(["demo", "load", "--migrate"], config: config)
        #expect(loaded.status == 0, "\(loaded.stderr)")
        let runtime = try HostFixture.runtime(url: url, features: "partnerships: { enabled: true }", plugins: [PartnershipAgreementsPlugin.self])
        func counts() async throws -> [Int] {
            let row = try await runtime.database.query(
                """
                SELECT (SELECT count(*) FROM partnerships.agreements) AS a, (SELECT count(*) FROM partnerships.activities) AS c,
                       (SELECT count(*) FROM partnerships.payments) AS p, (SELECT count(*) FROM partnerships.transitions) AS t,
                       (SELECT count(*) FROM partnerships.agreements a JOIN kernel.users u ON u.id = a.caseworker_user_id
                        WHERE u.name = 'demo-officer') AS named
                """
            ).single()
            return try ["a", "c", "p", "t", "named"].map { try row.decode($0, as: Int.self) }
        }
        let once = try await counts()
        #expect(once[4] == 4, "this year's two grants, last year's and the IOP under review name the demo caseworker")
        #expect(
            once[0] == 13,
            "framework agreement, supervision contract, three 2015 grants, two yearly grants, one IOP; today: the 2021 supervision contract, this year's two grants, last year's, an IOP under review"
        )
        #expect(once[1] == 4, "the action plan")
        #expect(try await Kooperator.run(["demo", "load"], config: config).status == 0)
        #expect(try await counts() == once)

        let ledger = try await Kooperator.run(["partnerships", "ledger", "--format", "csv"], config: config)
        #expect(ledger.status == 0, "\(ledger.stderr)")
        #expect(ledger.stdout.hasPrefix("year,organisationId,organisation,grants,applied,granted,paid,repaid\r\n"))
        #expect(ledger.stdout.contains(",Sociala arbetskooperativens paraplyförening,1,2820000,2820000,2820000,0\r\n"))
        #expect(ledger.stdout.contains("2015,") && ledger.stdout.contains("2018,"))
        let totals = try await Kooperator.run(["partnerships", "ledger", "--totals", "--year", "2019", "--format", "csv"], config: config)
        #expect(totals.stdout.contains("2019,iop,1,1500000,400000,"), "\(totals.stdout)")
        let followUp = try await Kooperator.run(["partnerships", "follow-up", "--as-of", "2019-03-01"], config: config)
        #expect(followUp.status == 0, "\(followUp.stderr)")
        #expect(followUp.stdout.contains("Due within 90 days"), "the configured reminder days (snake_case alias)")
        #expect(followUp.stdout.contains("Verksamhetsbidrag 2018"), "the 2018 report is due by 31 March 2019")
        // The reminders command (one for every feature that keeps reminders): raises today's once, then lists them.
        let raised = try await Kooperator.run(["partnerships", "reminders", "--raise"], config: config)
        #expect(raised.status == 0, "\(raised.stderr)")
        #expect(raised.stdout.contains("reminder(s) for \(LocalDate.today())"), "\(raised.stdout)")
        #expect(raised.stdout.contains("RAISED") && raised.stdout.contains("MESSAGE"))
        let again = try await Kooperator.run(["partnerships", "reminders", "--raise", "--limit", "5"], config: config)
        #expect(again.stdout.hasPrefix("today's reminders were already raised"), "\(again.stdout)")
        let stored = try await runtime.database.query("SELECT count(*) AS n FROM partnerships.reminders").single().decode("n", as: Int.self)
        #expect(again.stdout.split(separator: "\n").count == 2 + min(stored, 5), "a line each, at most --limit")
        let tooMany = try await Kooperator.run(["partnerships", "reminders", "--limit", "501"], config: config)
        #expect(tooMany.status != 0)
        let plan = try await runtime.database.query(
            "SELECT outcome FROM partnerships.activities WHERE what LIKE 'Se över vilka verksamheter%' AND status = 'done'"
        ).single()
        #expect(try plan.decode("outcome", as: String.self).contains("knoppades av"))

        let framework = try await runtime.database.query("SELECT id FROM partnerships.agreements WHERE kind = 'frameworkAgreement'").single()
            .decode("id", as: Int.self)
        let refused = try await Kooperator.run(["partnerships", "agreement", "state", String(framework), "--to", "draft"], config: config)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("/state"), "\(refused.stderr)")
        // This year's grant to the umbrella association (the demo reaches today): paid in full.
        let thisYear = try await runtime.database.query(
            "SELECT id FROM partnerships.agreements WHERE title = \("Verksamhetsbidrag \(LocalDate.today().year): paraplyföreningen")"
        ).single().decode("id", as: Int.self)
        let overpaid = try await Kooperator.run(
            ["partnerships", "grant", "pay", String(thisYear), "--amount", "1", "--paid-on", LocalDate.today().description],
            config: config
        )
        #expect(overpaid.status == 1)
        #expect(overpaid.stderr.contains("/amount"), "\(overpaid.stderr)")
        #expect(try await counts() == once)
        await runtime.shutdown()
    }
}
