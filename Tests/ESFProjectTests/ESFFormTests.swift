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

/// ESF's writes in the pages, through the forms derived from its API document: a participant's
/// entry (special categories only for the coordinator), exit, a cost in kronor; refusals at their
/// fields with nothing stored; the import page with its row-level error report.
@Suite("ESF forms")
struct ESFFormTests {
    /// The ESF page fixture and a person not yet in the project.
    static func fixture() async throws -> (HostRuntime, ESFAccessTests.Records, newcomer: Int) {
        let (runtime, records) = try await ESFPageTests.fixture()
        let store = try ESFStore(context: runtime.context(for: "esf"))
        let newcomer = try await runtime.database.transaction { tx in
            try store.registry.createPerson(
                PersonDraft(name: "Nora Lind", identityNumber: "19840514-3044", gender: .female),
                today: .today(),
                reach: .everything,
                actor: .system,
                in: tx
            ).id
        }
        return (runtime, records, newcomer)
    }

    /// The `n` a counting query answers.
    static func count(_ runtime: HostRuntime, _ sql: SQL) async throws -> Int {
        try await HostFixture.count(runtime, sql)
    }

    @Test("x-kooperator-form restricted: the special categories leave the form and its body without the permission")
    func restrictedOption() throws {
        let plugin = try ESFProjectPlugin(settings: ConfigSection(path: "features.esf", value: nil))
        let document = try APIDocument(url: try #require(ESFProjectPlugin.apiDocument), featureID: "esf", permissions: plugin.permissions)
        let operation = try #require(document.operations.first { $0.id == "enterParticipation" })
        let form = OperationForm(document: document, operation: operation)
        #expect(form.options.restricted["specialCategories"]?.id == "esf.participation.specialCategories")
        func principal(_ role: Role, _ permissions: Set<String>) -> Principal {
            Principal(userID: 1, name: "u", role: role, organisationID: nil, isScoped: false, permissions: permissions)
        }
        let coordinator = principal(.coordinator, ["esf.participation.write", "esf.participation.specialCategories"])
        let admin = principal(.admin, ["esf.participation.write"])
        #expect(form.withheld(from: coordinator).isEmpty)
        #expect(form.withheld(from: admin) == ["specialCategories"])
        #expect(form.shown(to: admin).options.hide.contains("specialCategories"))
        #expect(!form.shown(to: coordinator).options.hide.contains("specialCategories"))
        #expect(form.fillsWithheld(FormValues([("specialCategories.disability", "on")]), principal: admin))
        #expect(!form.fillsWithheld(FormValues([("specialCategories.disability", "")]), principal: admin), "an empty value fills nothing")
        #expect(!form.fillsWithheld(FormValues([("specialCategories.disability", "on")]), principal: coordinator))
        let status = try #require(form.labelledPaths().first { $0.path == "entryStatus" })
        #expect(
            status.shape == .choice(["unemployed", "longTermUnemployed", "inactiveInEducation", "inactiveNotInEducation", "employed"]),
            "a oneOf as its first alternative"
        )
    }

    @Test("entering a participant: refused at its fields with nothing stored, then saved with special categories, audited, listed")
    func entryFromThePage() async throws {
        let (runtime, r, newcomer) = try await Self.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = try await ESFPageTests.signedIn(client, .coordinator)
            let project = try await browser.get("/esf/projects/\(r.project)")
            let link = "/esf/forms/enterParticipation?id=\(r.project)&back=/esf/projects/\(r.project)"
            #expect(project.body.contains(link.replacingOccurrences(of: "&", with: "&amp;")), "the project page links to the entry form")
            #expect(project.body.contains("/esf/forms/bookCost?"), "and to booking a cost")
            #expect(project.body.contains(#"href="/esf/projects/\#(r.project)/import""#), "and to the import page")
            let form = try await browser.get(link)
            #expect(form.status == .ok)
            #expect(form.mainText.contains("Ny deltagare"))
            #expect(form.body.contains(#"<option value="longTermUnemployed">Långtidsarbetslös</option>"#), "the entry status is a select")
            #expect(form.body.contains(#"name="specialCategories.disability""#), "the coordinator records special categories")
            let secrecy = form.body.components(separatedBy: "Visas och sparas bara för ESF-samordnaren").count - 1
            #expect(secrecy == 1, "the group's hint once, not again at each of its fields")
            #expect(form.mainText.contains("Inom projektperioden, ÅÅÅÅ-MM-DD."), "a field's own hint")
            #expect(form.body.contains("Nora Lind"), "the person is chosen by name")

            let action = "/esf/forms/enterParticipation?id=\(r.project)&back=/esf/projects/\(r.project)"
            let before = try await Self.count(runtime, "SELECT count(*) AS n FROM esf.participations")
            let refused = try await browser.post(
                action,
                [("personId", String(newcomer)), ("from", "2016-13-01"), ("entryStatus", "retired")]
            )
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("error-summary"))
            #expect(refused.body.contains(##"<a href="#f-from">Startdag: Skriv datumet som ÅÅÅÅ-MM-DD"##))
            #expect(refused.body.contains(##"<a href="#f-entryStatus">Status vid start: "##))
            #expect(refused.body.contains(#"name="from" value="2016-13-01""#), "what was typed comes back")
            #expect(try await Self.count(runtime, "SELECT count(*) AS n FROM esf.participations") == before)

            let saved = try await browser.post(
                action,
                [
                    ("personId", String(newcomer)), ("from", "2016-03-01"), ("entryStatus", "longTermUnemployed"),
                    ("educationLevel", "tertiary"), ("specialCategories.disability", "on"),
                ]
            )
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/esf/projects/\(r.project)/participants")
            let row = try await runtime.database.query(
                "SELECT entry_status, disability FROM esf.participations WHERE person_id = \(newcomer)"
            ).single()
            #expect(try row.decode("entry_status", as: String.self) == "longTermUnemployed")
            #expect(try row.decode("disability", as: Bool?.self) == true)
            let audit = try await runtime.database.query(
                "SELECT actor FROM kernel.audit_log WHERE feature = 'esf' ORDER BY id DESC LIMIT 1"
            ).single()
            #expect(try audit.decode("actor", as: String.self) == "user-coordinator", "the page's write is audited as its user")
            let listed = try await browser.get("/esf/projects/\(r.project)/participants")
            #expect(listed.mainText.contains("Deltagaren är registrerad."), "the notice")
            #expect(listed.mainText.contains("Nora Lind"))
        }
        await runtime.shutdown()
    }

    @Test("special categories: not shown to the admin, refused when posted anyway; officers and supervisors may not enter anyone")
    func specialCategoriesAndRoles() async throws {
        let (runtime, r, newcomer) = try await Self.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            let link = "/esf/forms/enterParticipation?id=\(r.project)"
            var admin = try await ESFPageTests.signedIn(client, .admin)
            let form = try await admin.get(link)
            #expect(form.status == .ok)
            #expect(!form.body.contains("specialCategories"), "no special-category field for a user without the permission")
            #expect(!form.body.contains("Känsliga personuppgifter"))
            let before = try await Self.count(runtime, "SELECT count(*) AS n FROM esf.participations")
            let refused = try await admin.post(
                link,
                [("personId", String(newcomer)), ("from", "2016-03-01"), ("entryStatus", "unemployed"), ("specialCategories.disability", "on")]
            )
            #expect(refused.status == .forbidden, "the handler refuses special categories from the admin")
            #expect(try await Self.count(runtime, "SELECT count(*) AS n FROM esf.participations") == before, "nothing stored")

            var officer = try await ESFPageTests.signedIn(client, .officer)
            #expect(try await officer.get(link).status == .forbidden)
            let project = try await officer.get("/esf/projects/\(r.project)")
            #expect(!project.body.contains("/esf/forms/"), "an officer reads the project without any form's link")
            #expect(!project.body.contains("/import"))
            var supervisor = try await ESFPageTests.signedIn(client, .supervisor)
            #expect(try await supervisor.get(link).status == .forbidden)

            var coordinator = try await ESFPageTests.signedIn(client, .coordinator)
            let missing = "/esf/forms/exitParticipation?id=\(r.participation + 1000)"
            _ = try await coordinator.get(missing)
            let notFound = try await coordinator.post(missing, [("on", "2016-06-30")])
            #expect(notFound.status == .notFound, "a participation that does not exist answers 404")
        }
        await runtime.shutdown()
    }

    @Test("a participant's exit and a cost in kronor from the pages")
    func exitAndCost() async throws {
        let (runtime, r, _) = try await Self.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = try await ESFPageTests.signedIn(client, .coordinator)
            let participants = try await browser.get("/esf/projects/\(r.project)/participants")
            #expect(participants.body.contains("/esf/forms/exitParticipation?id="), "each running participation links to its exit")
            let exit = "/esf/forms/exitParticipation?id=\(r.participation)"
            let form = try await browser.get(exit)
            #expect(form.body.contains(#"type="checkbox" id="f-results-jobSearching" name="results" value="jobSearching""#))
            let ended = try await browser.post(exit, [("on", "2016-06-30"), ("results", "jobSearching"), ("recordedOn", "2016-07-10")])
            #expect(ended.status == .seeOther)
            #expect(ended.location == "/esf/projects/\(r.project)/participants")
            let row = try await runtime.database.query("SELECT to_date::text AS d FROM esf.participations WHERE id = \(r.participation)").single()
            #expect(try row.decode("d", as: String?.self) == "2016-06-30")

            let cost = "/esf/forms/bookCost?id=\(r.project)"
            _ = try await browser.get(cost)
            let refused = try await browser.post(
                cost,
                [("category", "travelAndLodging"), ("on", "2016-05-02"), ("amount", "tolv"), ("description", "")]
            )
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains(##"<a href="#f-amount">Belopp: "##))
            #expect(refused.body.contains(##"<a href="#f-description">Vad kostnaden avser: Fyll i fältet."##))
            let booked = try await browser.post(
                cost,
                [("category", "travelAndLodging"), ("on", "2016-05-02"), ("amount", "1 234,50"), ("description", "Tågresa till Umeå")]
            )
            #expect(booked.status == .seeOther)
            #expect(booked.location == "/esf/projects/\(r.project)")
            let amount = try await runtime.database.query("SELECT amount::text AS a FROM esf.costs WHERE description = 'Tågresa till Umeå'").single()
            #expect(try amount.decode("a", as: String.self) == "1234.50")
            let shown = try await browser.get("/esf/projects/\(r.project)")
            #expect(shown.mainText.contains("Kostnaden är bokad."))
            #expect(shown.body.contains("1\u{00A0}234,50\u{00A0}kr"), "in kronor with a decimal comma")
        }
        await runtime.shutdown()
    }

    @Test("the import page: a bad row is shown by row and column and nothing is stored; a good file is imported and counted")
    func importPage() async throws {
        let (runtime, r, _) = try await Self.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            var officer = try await ESFPageTests.signedIn(client, .officer)
            #expect(try await officer.get("/esf/projects/\(r.project)/import").status == .forbidden)

            var browser = try await ESFPageTests.signedIn(client, .coordinator)
            let path = "/esf/projects/\(r.project)/import"
            let page = try await browser.get(path)
            #expect(page.status == .ok)
            #expect(page.body.contains(#"enctype="multipart/form-data""#))
            #expect(page.body.contains(#"type="file""#))
            let header = "identity_number,name,gender,from,entry_status"
            let before = try await Self.count(runtime, "SELECT count(*) AS n FROM esf.participations")
            let people = try await Self.count(runtime, "SELECT count(*) AS n FROM registry.people")
            let bad = "\(header)\n19860716-3063,Lena Ek,female,2016-03-01,unemployed\n19870817-3078,Maja Berg,female,2016-03-01,retired\n"
            let refused = try await browser.postFile(path, field: "file", filename: "deltagare.csv", contentType: "text/csv", content: Data(bad.utf8))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.mainText.contains("Filen har 1 fel. Ingenting har sparats."))
            #expect(
                refused.body.contains("<tr><td>3</td><td>entry_status</td><td>&#39;retired&#39; är inte ett av unemployed, "),
                "row, column, reason"
            )
            #expect(try await Self.count(runtime, "SELECT count(*) AS n FROM esf.participations") == before, "nothing stored")
            #expect(try await Self.count(runtime, "SELECT count(*) AS n FROM registry.people") == people, "no one registered")

            // Every reason in Swedish on a Swedish page: a number, a day, a flag, a column.
            let worse = "\(header),homeless,shoe_size\n19860716-3064,Lena Ek,female,2016-02-30,unemployed,kanske,42\n"
            let reasons = try await browser.postFile(path, field: "file", filename: "d.csv", contentType: "text/csv", content: Data(worse.utf8))
            #expect(reasons.status == .unprocessableContent)
            #expect(reasons.mainText.contains("okänd kolumn; filen kan ha"), "\(reasons.mainText)")
            let lines = "\(header),homeless\n19860716-3064,Lena Ek,female,2016-02-30,unemployed,kanske\n"
            let rows = try await browser.postFile(path, field: "file", filename: "d.csv", contentType: "text/csv", content: Data(lines.utf8))
            #expect(rows.mainText.contains("Kontrollsiffran stämmer inte."), "\(rows.mainText)")
            #expect(rows.mainText.contains("Ange ett datum") || rows.mainText.contains("Skriv datumet som ÅÅÅÅ-MM-DD"))
            #expect(rows.mainText.contains("kanske&#39; är varken ja eller nej"))
            #expect(!rows.mainText.contains("check digit"), "nothing left in English")

            let none = try await browser.postFile(path, field: "file", filename: "", contentType: "application/octet-stream", content: Data())
            #expect(none.status == .unprocessableContent)
            #expect(none.mainText.contains("Välj en fil att importera."))

            let good = "\(header)\n19860716-3063,Lena Ek,female,2016-03-01,unemployed\n19870817-3078,Maja Berg,female,2016-03-01,employed\n"
            let imported = try await browser.postFile(
                path,
                field: "file",
                filename: "deltagare.csv",
                contentType: "text/csv",
                content: Data(good.utf8)
            )
            #expect(imported.status == .seeOther)
            #expect(imported.location == "/esf/projects/\(r.project)")
            #expect(try await Self.count(runtime, "SELECT count(*) AS n FROM esf.participations") == before + 2)
            let shown = try await browser.get("/esf/projects/\(r.project)")
            #expect(shown.mainText.contains("Importen är klar: 2 rader, 2 nya"))
            let audit = try await runtime.database.query(
                "SELECT actor FROM kernel.audit_log WHERE feature = 'esf' ORDER BY id DESC LIMIT 1"
            ).single()
            #expect(try audit.decode("actor", as: String.self) == "user-coordinator")

            let forged = try await browser.send(
                .post,
                path,
                body: ByteBuffer(string: "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n\(good)\r\n--x--\r\n"),
                contentType: "multipart/form-data; boundary=x"
            )
            #expect(forged.status == .forbidden, "an upload without the CSRF token is refused")
        }
        await runtime.shutdown()
    }

    @Test(
        "the state changes the API document states (ProjectState and ClaimState) are the ones the model allows, so a form offers no state it would refuse"
    )
    func documentedTransitions() throws {
        let url = try #require(ESFProjectPlugin.apiDocument)
        let permissions = try ESFProjectPlugin(settings: ConfigSection(path: "features.esf", value: nil)).permissions
        #expect(
            try DocumentedTransitions.of("ProjectState", in: url, permissions: permissions)
                == Dictionary(uniqueKeysWithValues: ProjectState.allCases.map { ($0.rawValue, [$0.next].compactMap { $0?.rawValue }) })
        )
        #expect(
            try DocumentedTransitions.of("ClaimState", in: url, permissions: permissions)
                == Dictionary(uniqueKeysWithValues: Claim.State.allCases.map { ($0.rawValue, [$0.next].compactMap { $0?.rawValue }) })
        )
    }

    @Test("an upload's body is read only on a route that takes one and only for a role that may: else 403 or 413, nothing held")
    func uploadBodyAfterPermission() async throws {
        let (runtime, r, _) = try await Self.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            // Two megabytes: over the ordinary form limit (1 MiB), well within the upload limit.
            let file = String(repeating: "x", count: 2_097_152)
            let body = "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n\(file)\r\n--x--\r\n"
            var supervisor = try await ESFPageTests.signedIn(client, .supervisor)
            let refused = try await supervisor.send(
                .post,
                "/esf/projects/\(r.project)/import",
                body: ByteBuffer(string: body),
                contentType: "multipart/form-data; boundary=x"
            )
            #expect(refused.status == .forbidden)
            #expect(refused.mainText.contains("Din roll får inte göra det här."), "the role, not the form's token, is what is refused")
            var coordinator = try await ESFPageTests.signedIn(client, .coordinator)
            let elsewhere = try await coordinator.send(
                .post,
                "/esf/forms/createProject",
                body: ByteBuffer(string: body),
                contentType: "multipart/form-data; boundary=x"
            )
            #expect(elsewhere.status == .contentTooLarge, "a route that takes no file reads a form within the form limit")
            let upload = try await coordinator.send(
                .post,
                "/esf/projects/\(r.project)/import",
                body: ByteBuffer(string: body),
                contentType: "multipart/form-data; boundary=x"
            )
            #expect(upload.status == .forbidden, "read in full, then refused for its missing form token")
            #expect(upload.mainText.contains("säkerhetskod"))
        }
        await runtime.shutdown()
    }
}
