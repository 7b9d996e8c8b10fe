import DataAccess
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

/// Supervision's writes in the pages, through the forms derived from its API document: a pot with
/// an amount in kronor, an assignment ended after a confirmation, a cooperative chosen by name;
/// refusals at their fields with nothing stored; reach and permission as in the API.
@Suite("Supervision forms")
struct SupervisionFormTests {
    @Test("a pot from the cooperative's page: refused at its fields with nothing stored, then saved in kronor, audited, shown")
    func potFromThePage() async throws {
        let f = try await SupervisionPageTests.fixture()
        let coop = f.ids.coopIn
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let cooperative = try await browser.get("/supervision/cooperatives/\(coop)")
            let link = "/supervision/forms/createPot?cooperativeId=\(coop)&back=/supervision/cooperatives/\(coop)"
            #expect(cooperative.body.contains(link.replacingOccurrences(of: "&", with: "&amp;")), "the page links to the pot form")
            let form = try await browser.get(link)
            #expect(form.status == .ok)
            #expect(form.mainText.contains("Ny pott"))
            #expect(form.body.contains(#"<option value="\#(coop)" selected>Café Gläntan</option>"#), "the cooperative is chosen already")
            #expect(form.body.contains(#"id="f-amount" name="amount" value="" required aria-required="true" inputmode="decimal""#))
            #expect(form.body.contains(#"type="date" id="f-from" name="from""#))
            let pots = try await HostFixture.count(f.runtime, "SELECT count(*) AS n FROM supervision.funding_pots")

            let action = "/supervision/forms/createPot?back=/supervision/cooperatives/\(coop)"
            var fields = [
                ("cooperativeId", String(coop)), ("purpose", ""), ("amount", "tolv tusen"), ("sharePercent", "50"),
                ("from", "2026-01-01"), ("to", "2026-13-01"),
            ]
            let refused = try await browser.post(action, fields)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("error-summary"))
            #expect(refused.body.contains(##"<a href="#f-purpose">Vad potten betalar: Fyll i fältet.</a>"##))
            #expect(refused.body.contains(##"<a href="#f-amount">Belopp: Ange ett tal"##))
            #expect(refused.body.contains(##"<a href="#f-to">Sista dag: Skriv datumet som ÅÅÅÅ-MM-DD"##))
            #expect(refused.body.contains(#"name="amount" value="tolv tusen""#), "what was typed comes back")
            #expect(try await HostFixture.count(f.runtime, "SELECT count(*) AS n FROM supervision.funding_pots") == pots)

            fields = [
                ("cooperativeId", String(coop)), ("purpose", "Handledning 2026"), ("amount", "12 500,50 kr"), ("sharePercent", "50"),
                ("from", "2026-01-01"), ("to", "2026-12-31"),
            ]
            let saved = try await browser.post(action, fields)
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/supervision/cooperatives/\(coop)")
            let row = try await f.runtime.database.query(
                "SELECT amount::text AS amount FROM supervision.funding_pots WHERE purpose = 'Handledning 2026'"
            ).single()
            #expect(try row.decode("amount", as: String.self) == "12500.50")
            let audit = try await f.runtime.database.query(
                "SELECT actor, action FROM kernel.audit_log WHERE feature = 'supervision' AND entity = 'pot' ORDER BY id DESC LIMIT 1"
            ).single()
            #expect(try audit.decode("actor", as: String.self) == "user-officer", "the page's write is audited as its user")
            let shown = try await browser.get("/supervision/cooperatives/\(coop)")
            #expect(shown.mainText.contains("Potten är sparad."), "the notice")
            #expect(shown.body.contains("12\u{00A0}500,50\u{00A0}kr"), "in kronor with a decimal comma, grouped by a no-break space")
        }
    }

    @Test("ending an assignment asks first on a page of its own; a supervisor may not end one, nor move a goal outside its reach")
    func endingAsksFirst() async throws {
        let f = try await SupervisionPageTests.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let path = "/supervision/forms/changeAssignmentState?id=\(f.ids.assignmentIn)"
            let form = try await browser.get(path)
            #expect(form.status == .ok)
            #expect(form.body.contains(#"<option value="ended">Avslutat</option>"#))
            // An active assignment moves to review or ends; the form offers nothing it would refuse.
            #expect(form.body.contains(#"<option value="underReview">"#))
            #expect(!form.body.contains(#"<option value="proposed">"#))
            #expect(!form.body.contains(#"<option value="renewed">"#))
            #expect(!form.body.contains(#"<option value="active">"#))
            let ending = [("state", "ended"), ("on", "2026-06-30"), ("reason", "Kooperativet klarar sig självt")]
            let asked = try await browser.post(path, ending)
            #expect(asked.status == .ok)
            #expect(asked.mainText.contains("Är du säker?"))
            #expect(asked.mainText.contains("Uppdraget avslutas från det datum du angett"))
            #expect(asked.mainText.contains("Kooperativet klarar sig självt"), "what was entered is shown")
            func state(_ id: Int) async throws -> String {
                try await f.runtime.database.query("SELECT state AS s FROM supervision.assignments WHERE id = \(id)").single().decode(
                    "s",
                    as: String.self
                )
            }
            #expect(try await state(f.ids.assignmentIn) == "active", "nothing yet")
            let done = try await browser.post(path, ending + [("_confirmed", "yes")])
            #expect(done.status == .seeOther)
            #expect(done.location == "/supervision/cooperatives/\(f.ids.coopIn)")
            #expect(try await state(f.ids.assignmentIn) == "ended")

            var supervisor = PageBrowser(client)
            try await supervisor.signIn("user-supervisor", password: HostFixture.pagePassword)
            #expect(try await supervisor.get("/supervision/forms/changeAssignmentState?id=\(f.ids.assignmentIn)").status == .forbidden)
            let outside = "/supervision/forms/changeGoalState?id=\(f.ids.goalOut)"
            #expect(try await supervisor.get(outside).status == .notFound, "the form of a goal outside reach is missing too")
            _ = try await supervisor.get("/")  // a page with the session's form token, as a crafted post would carry
            let refused = try await supervisor.post(outside, [("state", "met")])
            #expect(refused.status == .notFound, "a goal outside reach answers as a missing one")
            let goal = try await f.runtime.database.query("SELECT state AS s FROM supervision.goals WHERE id = \(f.ids.goalOut)").single()
            #expect(try goal.decode("s", as: String.self) == "open")

            var coordinator = PageBrowser(client)
            try await coordinator.signIn("user-coordinator", password: HostFixture.pagePassword)
            #expect(try await coordinator.get("/supervision/forms/createPot").status == .forbidden)
        }
    }

    @Test("a cooperative is chosen by name: the search lists the matches within the user's reach")
    func chosenByName() async throws {
        let f = try await SupervisionPageTests.fixture()
        try await buildApplication(runtime: f.runtime).test(.router) { client in
            for (user, seesOther) in [("user-officer", true), ("user-supervisor", false)] {
                var browser = PageBrowser(client)
                try await browser.signIn(user, password: HostFixture.pagePassword)
                _ = try await browser.get("/supervision/forms/createGoal")
                let found = try await browser.post(
                    "/supervision/forms/createGoal",
                    [("cooperativeId.q", "verkstan"), ("_search", "cooperativeId"), ("title", "Budget för 2027")]
                )
                #expect(found.status == .ok)
                #expect(found.body.contains(#"value="\#(f.ids.coopOut)">Cykelverkstan</option>"#) == seesOther, "\(user)")
                #expect(!found.body.contains(">Café Gläntan</option>"), "only the matches")
                #expect(found.body.contains(#"name="title" value="Budget för 2027""#), "the rest stays filled in")
                // What the combobox script lists as the user types: the same matches, as JSON.
                let typed = try await browser.get("/supervision/forms/createGoal/choices?field=cooperativeId&q=verkstan")
                #expect(typed.status == .ok)
                #expect(typed.body.contains(#"{"label":"Cykelverkstan","value":"\#(f.ids.coopOut)"}"#) == seesOther, "\(user): \(typed.body)")
                #expect(!typed.body.contains("Gläntan"))
                #expect(try await browser.get("/supervision/forms/createGoal/choices?field=title&q=x").status == .unprocessableContent)
            }
        }
    }

    @Test(
        "the state changes the API document states (AssignmentState and GoalState) are the ones the model allows, so a form offers no state it would refuse"
    )
    func documentedTransitions() throws {
        let url = try #require(SupervisionPlugin.apiDocument)
        let permissions = try SupervisionPlugin(settings: ConfigSection(path: "features.supervision", value: nil)).permissions
        #expect(
            try DocumentedTransitions.of("AssignmentState", in: url, permissions: permissions)
                == Dictionary(uniqueKeysWithValues: AssignmentState.allCases.map { ($0.rawValue, $0.allowedNext.map(\.rawValue).sorted()) })
        )
        #expect(
            try DocumentedTransitions.of("GoalState", in: url, permissions: permissions)
                == Dictionary(uniqueKeysWithValues: GoalState.allCases.map { ($0.rawValue, $0.allowedNext.map(\.rawValue).sorted()) })
        )
    }
}
