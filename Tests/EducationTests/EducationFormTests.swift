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

@testable import Education
@testable import Host

/// Education's writes in the pages, through the forms derived from its API document: a meeting
/// planned from the circle's page, a participant enrolled by name, a circle planned from the
/// list, a rejection asked first; refusals at their fields in Swedish with nothing stored; reach
/// and permission as in the API.
@Suite("Education forms")
struct EducationFormTests {
    @Test("a meeting from the circle's page: refused at its fields in Swedish with nothing stored, then saved, audited and shown")
    func meetingFromThePage() async throws {
        let (runtime, r) = try await EducationPageTests.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let circle = try await browser.get("/education/circles/\(r.circleIn)")
            let link = "/education/forms/addMeeting?id=\(r.circleIn)&back=/education/circles/\(r.circleIn)"
            #expect(circle.body.contains(link.replacingOccurrences(of: "&", with: "&amp;")), "the circle's page links to the meeting form")
            #expect(circle.mainText.contains("Anmäl en deltagare"))
            #expect(circle.mainText.contains("Avslå cirkeln"))
            let form = try await browser.get(link)
            #expect(form.status == .ok)
            #expect(form.mainText.contains("Lägg till en träff"))
            #expect(form.mainText.contains("ÅÅÅÅ-MM-DD TT:MM"), "the time's hint")
            let meetings = try await HostFixture.count(runtime, "SELECT count(*) AS n FROM education.meetings WHERE circle_id = \(r.circleIn)")

            let action = "/education/forms/addMeeting?id=\(r.circleIn)&back=/education/circles/\(r.circleIn)"
            let refused = try await browser.post(action, [("startsAt", ""), ("minutes", "0")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("error-summary"))
            #expect(refused.body.contains(##"<a href="#f-startsAt">Börjar: Fyll i fältet.</a>"##))
            #expect(refused.body.contains(##"<a href="#f-minutes">Längd i minuter: Ange ett tal från 1 till 720, inte 0.</a>"##))
            #expect(refused.body.contains(#"name="minutes" value="0""#), "what was typed comes back")
            let badTime = try await browser.post(action, [("startsAt", "tisdag kväll"), ("minutes", "135")])
            #expect(badTime.status == .unprocessableContent)
            #expect(badTime.mainText.contains("Skriv tiden som ÅÅÅÅ-MM-DD TT:MM"), "the store's refusal in Swedish at the field")
            #expect(try await HostFixture.count(runtime, "SELECT count(*) AS n FROM education.meetings WHERE circle_id = \(r.circleIn)") == meetings)

            let saved = try await browser.post(action, [("startsAt", "2001-09-10 18:00"), ("minutes", "135")])
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/education/circles/\(r.circleIn)")
            let audit = try await runtime.database.query(
                "SELECT actor FROM kernel.audit_log WHERE feature = 'education' AND entity = 'meeting' ORDER BY id DESC LIMIT 1"
            ).single()
            #expect(try audit.decode("actor", as: String.self) == "user-officer", "the page's write is audited as its user")
            let shown = try await browser.get("/education/circles/\(r.circleIn)")
            #expect(shown.mainText.contains("Träffen är sparad."), "the notice")
            #expect(shown.mainText.contains("2001-09-10 18:00 135 3"), "the meeting with its study hours")
        }
    }

    @Test("a participant enrolled by name; the leader is refused at the field in Swedish")
    func enrolByName() async throws {
        let (runtime, r) = try await EducationPageTests.fixture()
        let newcomer = try await runtime.database.transaction { tx in
            try runtime.registry.createPerson(PersonDraft(name: "Ylva Nykomling"), today: .today(), reach: .everything, actor: .system, in: tx).id
        }
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let path = "/education/forms/enrol?id=\(r.circleIn)"
            _ = try await browser.get(path)
            let found = try await browser.post(path, [("personId.q", "nykomling"), ("_search", "personId")])
            #expect(found.status == .ok)
            #expect(found.body.contains(#"<option value="\#(newcomer)">Ylva Nykomling</option>"#), "the search finds the person")
            let leader = try await browser.post(path, [("personId", String(r.leader))])
            #expect(leader.status == .unprocessableContent)
            #expect(leader.body.contains(##"<a href="#f-personId">Deltagare: Märta leder cirkeln; ledaren anmäls inte som deltagare.</a>"##))
            #expect(try await HostFixture.count(runtime, "SELECT count(*) AS n FROM education.enrolments WHERE circle_id = \(r.circleIn)") == 1)
            let enrolled = try await browser.post(path, [("personId", String(newcomer)), ("on", "2001-09-04")])
            #expect(enrolled.status == .seeOther)
            #expect(enrolled.location == "/education/circles/\(r.circleIn)")
            let shown = try await browser.get("/education/circles/\(r.circleIn)")
            #expect(shown.mainText.contains("Deltagaren är anmäld."))
            #expect(shown.mainText.contains("Ylva Nykomling"), "in the attendance grid")
        }
    }

    @Test("a participant withdrawn after a confirmation: out of later meetings' attendance, earlier presence kept, enrolled again on request")
    func withdrawParticipant() async throws {
        let (runtime, r) = try await EducationPageTests.fixture()
        let store = try EducationStore(context: runtime.context(for: "education"))
        let newcomer = try await runtime.database.transaction { tx in
            let id = try runtime.registry.createPerson(
                PersonDraft(name: "Ylva Nykomling"),
                today: .today(),
                reach: .everything,
                actor: .system,
                in: tx
            ).id
            _ = try store.enrol(
                EnrolmentDraft(personId: id, on: LocalDate("2001-09-01")),
                inCircle: r.circleIn,
                today: .today(),
                reach: .everything,
                actor: .system,
                in: tx
            )
            return id
        }
        let (early, late) = try await runtime.database.transaction { tx in
            let early = try store.addMeeting(
                MeetingDraft(startsAt: "2001-09-05T18:00", minutes: 90),
                toCircle: r.circleIn,
                reach: .everything,
                actor: .system,
                in: tx
            )
            let late = try store.addMeeting(
                MeetingDraft(startsAt: "2001-09-25T18:00", minutes: 90),
                toCircle: r.circleIn,
                reach: .everything,
                actor: .system,
                in: tx
            )
            _ = try store.recordAttendance(AttendanceDraft(presentIds: [newcomer]), atMeeting: early.id, reach: .everything, actor: .system, in: tx)
            return (early.id, late.id)
        }
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let circle = try await browser.get("/education/circles/\(r.circleIn)")
            let link = "/education/forms/withdraw?id=\(r.circleIn)&personId=\(newcomer)&back=/education/circles/\(r.circleIn)"
            #expect(
                circle.body.contains(link.replacingOccurrences(of: "&", with: "&amp;")),
                "each participant's row links to ending the participation"
            )
            let path = "/education/forms/withdraw?id=\(r.circleIn)"
            _ = try await browser.get(link)
            let tooEarly = try await browser.post(path, [("personId", String(newcomer)), ("on", "2001-09-05"), ("_confirmed", "yes")])
            #expect(tooEarly.status == .unprocessableContent)
            #expect(tooEarly.mainText.contains("var närvarande på en träff 2001-09-05"), "presence is never undone")
            let asked = try await browser.post(path, [("personId", String(newcomer)), ("on", "2001-09-20")])
            #expect(asked.mainText.contains("Är du säker?"))
            #expect(asked.mainText.contains("Närvaron före dess finns kvar"))
            #expect(
                try await store.database.withConnection { db in try store.enrolled(inCircle: r.circleIn, in: db) }.contains(newcomer),
                "nothing yet"
            )
            let done = try await browser.post(path, [("personId", String(newcomer)), ("on", "2001-09-20"), ("_confirmed", "yes")])
            #expect(done.status == .seeOther)
            let shown = try await browser.get("/education/circles/\(r.circleIn)")
            #expect(shown.mainText.contains("Deltagandet är avslutat."))
            #expect(shown.mainText.contains("Ylva Nykomling (slutade 2001-09-20)"))
            #expect(shown.body.contains(#"value="\#(early):\#(newcomer)" checked"#), "the earlier presence stays on the grid")
            #expect(!shown.body.contains(#"value="\#(late):\#(newcomer)""#), "no box to tick at a later meeting")
            let audit = try await runtime.database.query(
                "SELECT actor, action FROM kernel.audit_log WHERE feature = 'education' AND entity = 'circle' ORDER BY id DESC LIMIT 1"
            ).single()
            #expect(try audit.decode("action", as: String.self) == "withdraw")
            #expect(try audit.decode("actor", as: String.self) == "user-officer")
            await #expect(throws: FeatureError.self, "a withdrawn participant is not on a later meeting's attendance") {
                try await runtime.database.transaction { tx in
                    try store.recordAttendance(AttendanceDraft(presentIds: [newcomer]), atMeeting: late, reach: .everything, actor: .system, in: tx)
                }
            }
            let again = try await runtime.database.transaction { tx in
                try store.enrol(
                    EnrolmentDraft(personId: newcomer, on: nil),
                    inCircle: r.circleIn,
                    today: .today(),
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
            }
            #expect(again.contains(newcomer), "enrolling again undoes the withdrawal")
        }
    }

    @Test("rejecting a circle asks first on a page of its own; nothing changes until it is confirmed")
    func rejectingAsksFirst() async throws {
        let (runtime, r) = try await EducationPageTests.fixture()
        @Sendable func state() async throws -> String {
            try await runtime.database.query("SELECT state AS s FROM education.circles WHERE id = \(r.circleIn)").single().decode("s")
        }
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let circle = try await browser.get("/education/circles/\(r.circleIn)")
            let link = "/education/forms/changeCircleState?id=\(r.circleIn)&state=rejected&back=/education/circles/\(r.circleIn)"
            #expect(circle.body.contains(link.replacingOccurrences(of: "&", with: "&amp;")))
            let form = try await browser.get(link)
            #expect(form.body.contains(#"<option value="rejected" selected>Avslagen</option>"#), "the state is chosen already")
            let path = "/education/forms/changeCircleState?id=\(r.circleIn)&back=/education/circles/\(r.circleIn)"
            let noReason = try await browser.post(path, [("state", "rejected"), ("_confirmed", "yes")])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.body.contains(##"<a href="#f-reason">Skäl till avslaget: Skriv varför cirkeln avslås.</a>"##))
            let rejecting = [("state", "rejected"), ("reason", "Studieförbundet drog tillbaka sitt stöd")]
            let asked = try await browser.post(path, rejecting)
            #expect(asked.status == .ok)
            #expect(asked.mainText.contains("Är du säker?"))
            #expect(asked.mainText.contains("En rapporterad eller avslagen cirkel är slutgiltig"))
            #expect(asked.mainText.contains("Studieförbundet drog tillbaka sitt stöd"), "what was entered is shown")
            #expect(try await state() == "running", "nothing yet")
            let done = try await browser.post(path, rejecting + [("_confirmed", "yes")])
            #expect(done.status == .seeOther)
            #expect(done.location == "/education/circles/\(r.circleIn)")
            #expect(try await state() == "rejected")
            let shown = try await browser.get("/education/circles/\(r.circleIn)")
            #expect(shown.mainText.contains("Cirkelns status är ändrad."))
            #expect(shown.mainText.contains("Avslagen"))
            #expect(!shown.mainText.contains("Lägg till en träff"), "a rejected circle offers no more meetings")
        }
    }

    @Test("a circle planned from the list; a supervisor may not plan one, and adds no meeting to a circle outside its reach")
    func planAndReach() async throws {
        let (runtime, r) = try await EducationPageTests.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            var officer = PageBrowser(client)
            try await officer.signIn("user-officer", password: HostFixture.pagePassword)
            let list = try await officer.get("/education")
            #expect(list.body.contains("/education/forms/createCircle?back=/education"), "the list links to the form")
            let path = "/education/forms/createCircle?back=/education"
            _ = try await officer.get(path)
            let fields = [
                ("studyAssociationId", String(r.association)), ("leaderId", String(r.leader)), ("subject", "Bokföring för kooperativ"),
                ("plannedStart", "2002-01-14"), ("plannedEnd", "2002-01-01"),
            ]
            let refused = try await officer.post(path, fields)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains(##"<a href="#f-plannedEnd">Planerat slut: Det planerade slutet ligger före starten (2002-01-14).</a>"##))
            #expect(
                try await HostFixture.count(runtime, "SELECT count(*) AS n FROM education.circles WHERE subject = 'Bokföring för kooperativ'") == 0
            )
            let saved = try await officer.post(path, Array(fields.dropLast()) + [("plannedEnd", "2002-05-31")])
            #expect(saved.status == .seeOther)
            let id: Int = try await runtime.database.query("SELECT id FROM education.circles WHERE subject = 'Bokföring för kooperativ'").single()
                .decode("id")
            #expect(saved.location == "/education/circles/\(id)")
            let shown = try await officer.get("/education/circles/\(id)")
            #expect(shown.mainText.contains("Studiecirkeln är planerad."))
            #expect(shown.mainText.contains("Studieförbundet A"))
            #expect(shown.mainText.contains("2002-01-14 – 2002-05-31"))

            var supervisor = PageBrowser(client)
            try await supervisor.signIn("user-supervisor", password: HostFixture.pagePassword)
            #expect(try await supervisor.get("/education/forms/createCircle").status == .forbidden)
            #expect(!(try await supervisor.get("/education").body.contains("/education/forms/createCircle")), "no link it may not use")
            let meetings = try await HostFixture.count(runtime, "SELECT count(*) AS n FROM education.meetings")
            let outside = "/education/forms/addMeeting?id=\(r.circleOut)"
            _ = try await supervisor.get(outside)
            let refused404 = try await supervisor.post(outside, [("startsAt", "2001-09-10 18:00"), ("minutes", "90")])
            #expect(refused404.status == .notFound, "a circle outside reach answers as a missing one")
            #expect(try await HostFixture.count(runtime, "SELECT count(*) AS n FROM education.meetings") == meetings)
            let inside = "/education/forms/addMeeting?id=\(r.circleIn)"
            _ = try await supervisor.get(inside)
            #expect(try await supervisor.post(inside, [("startsAt", "2001-09-10 18:00"), ("minutes", "90")]).status == .seeOther)

            var coordinator = PageBrowser(client)
            try await coordinator.signIn("user-coordinator", password: HostFixture.pagePassword)
            #expect(try await coordinator.get("/education/forms/addMeeting?id=\(r.circleIn)").status == .forbidden)
        }
    }

    @Test("the state changes the API document states (CircleState) are the ones the model allows, so a form offers no state it would refuse")
    func documentedTransitions() throws {
        let url = try #require(EducationPlugin.apiDocument)
        let permissions = try EducationPlugin(settings: ConfigSection(path: "features.education", value: nil)).permissions
        #expect(
            try DocumentedTransitions.of("CircleState", in: url, permissions: permissions)
                == Dictionary(uniqueKeysWithValues: CircleState.allCases.map { ($0.rawValue, $0.allowedNext.map(\.rawValue).sorted()) })
        )
    }
}
