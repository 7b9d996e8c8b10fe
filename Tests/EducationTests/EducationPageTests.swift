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

@testable import Education
@testable import Host

/// The education pages over HTTP for every role, inside and outside the supervisor's reach: the
/// circle list, a circle's page with its attendance grid and rule check, the start page's list
/// and the registry's organisation section.
@Suite("Education pages")
struct EducationPageTests {
    /// The access fixture with a password for each role's user.
    static func fixture() async throws -> (HostRuntime, EducationAccessTests.Records) {
        let (runtime, records, _) = try await EducationAccessTests.make()
        try await HostFixture.setPagePasswords(runtime)
        return (runtime, records)
    }

    @Test("every page for every role: 403 without the permission, 404 outside a supervisor's reach, the key content")
    func pagesPerRole() async throws {
        let (runtime, r) = try await Self.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            for role in Role.allCases {
                var browser = PageBrowser(client)
                try await browser.signIn("user-\(role)", password: HostFixture.pagePassword)
                let reads = role != .coordinator
                let read: HTTPResponse.Status = reads ? .ok : .forbidden
                let expectations: [(String, HTTPResponse.Status)] = [
                    ("/education", read),
                    ("/education?q=studief%C3%B6rbundet&sort=association&order=desc&size=50", read),
                    ("/education/circles/\(r.circleIn)", read),
                    ("/education/circles/\(r.circleOut)", reads ? (role == .supervisor ? .notFound : .ok) : .forbidden),
                    ("/education/circles/999999", reads ? .notFound : .forbidden),
                    ("/education?sort=secret", reads ? .unprocessableContent : .forbidden),
                ]
                try await browser.expectPages(expectations, as: role)
                let start = try await browser.get("/")
                #expect(start.body.contains(#"href="/education""#) == reads, "\(role) has the navigation entry")
                guard reads else { continue }
                let list = try await browser.get("/education")
                #expect(list.mainText.contains("Kooperativ"))
                #expect(list.mainText.contains("Studieförbundet A"))
                #expect(list.mainText.contains("Pågår"))
                #expect(list.mainText.contains("Studieförbundet B") == (role != .supervisor), "\(role) sees only its reach")
                let csv = try await browser.get("/education?format=csv")
                #expect(csv.status == .ok)
                #expect(csv.body.hasPrefix("\u{FEFF}id;subject;studyAssociation;organiser;state;plannedStart;plannedEnd;meetings"))
                #expect(csv.body.contains("Studieförbundet B") == (role != .supervisor))
                let circle = try await browser.get("/education/circles/\(r.circleIn)")
                #expect(circle.mainText.contains("Märta"), "the leader")
                #expect(circle.mainText.contains("Jörgen"), "an enrolled participant")
                #expect(!circle.body.contains("3458"), "no identity number")
                #expect(circle.mainText.contains("2001-09-03 18:00"))
                #expect(circle.body.contains(#"class="rule-check""#))
                #expect(circle.body.contains(#"<span class="fail">Uppfylls inte</span>"#), "text, not only colour")
                #expect(circle.body.contains(#"<span class="pass">Uppfylls</span>"#))
                #expect(circle.mainText.contains("minst 3 träffar"))
                #expect(circle.mainText.contains("Antal träffar: 1"), "the evidence, in Swedish")
                #expect(circle.mainText.contains("0 av 1 räknas"), "who counts")
                #expect(circle.mainText.contains("närvarande vid 0 träffar; 3 krävs"), "why Jörgen does not count")
                #expect(!circle.mainText.contains("1 meetings"))
                let writes = [.admin, .officer, .supervisor].contains(role)
                #expect(circle.body.contains(#"id="attendance-form""#) == writes, "\(role) may tick attendance")
                #expect(circle.body.contains(#"type="checkbox""#) == writes)
            }
        }
    }

    @Test("the attendance grid: CSRF refused, refused ticks come back with the error, a double submit saves once")
    func attendanceForm() async throws {
        let (runtime, r) = try await Self.fixture()
        let present: SQL = "SELECT count(*) AS n FROM education.attendance WHERE meeting_id = \(r.meetingIn) AND present"
        let audits: SQL = "SELECT count(*) AS n FROM kernel.audit_log WHERE feature = 'education' AND entity = 'meeting' AND action = 'attendance'"
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-supervisor", password: HostFixture.pagePassword)
            let path = "/education/circles/\(r.circleIn)/attendance"
            let page = try await browser.get("/education/circles/\(r.circleIn)")
            #expect(page.body.contains(#"value="\#(r.meetingIn):\#(r.person)""#))
            let tick = [("meeting", String(r.meetingIn)), ("present", "\(r.meetingIn):\(r.person)")]
            #expect(try await browser.post(path, tick, csrf: false).status == .forbidden)
            #expect(try await HostFixture.count(runtime, present) == 0)
            _ = try await browser.get("/education/circles/\(r.circleIn)")  // the refusal's page has no form: load the grid again

            let stranger = try await browser.post(path, [("meeting", String(r.meetingIn)), ("present", "\(r.meetingIn):999999")])
            #expect(stranger.status == .unprocessableContent)
            #expect(stranger.body.contains(#"role="alert""#))
            #expect(stranger.mainText.contains("Person 999999 är inte anmäld till cirkeln."), "the store's refusal in Swedish")
            #expect(stranger.body.contains(#"id="attendance-form""#))
            let garbled = try await browser.post(path, [("meeting", String(r.meetingIn)), ("present", "nonsense")])
            #expect(garbled.status == .unprocessableContent)
            #expect(garbled.mainText.contains("Närvarolistan gick inte att läsa"))
            // Another circle's meeting is not this grid's.
            let foreign = try await browser.post(path, [("meeting", String(r.meetingOut)), ("present", "\(r.meetingOut):\(r.person)")])
            #expect(foreign.status == .unprocessableContent)
            #expect(try await HostFixture.count(runtime, present) == 0)
            #expect(try await HostFixture.count(runtime, audits) == 0)

            let once = "double-click-attendance"
            let first = try await browser.post(path, tick, once: once)
            #expect(first.status == .seeOther)
            let again = try await browser.post(path, tick, once: once)
            #expect(again.status == .seeOther)
            #expect(try await HostFixture.count(runtime, present) == 1)
            #expect(try await HostFixture.count(runtime, audits) == 1, "saved once")
            let saved = try await browser.get(try #require(first.location))
            #expect(saved.mainText.contains("Närvaron är sparad."))
            #expect(saved.body.contains(#"value="\#(r.meetingIn):\#(r.person)" checked"#))
            // Saving the same grid again changes nothing.
            _ = try await browser.post(path, tick)
            #expect(try await HostFixture.count(runtime, audits) == 1)
            // Untick: absent.
            _ = try await browser.post(path, [("meeting", String(r.meetingIn))])
            #expect(try await HostFixture.count(runtime, present) == 0)
            // Outside the supervisor's reach: 404.
            let outside = try await browser.post("/education/circles/\(r.circleOut)/attendance", [("meeting", String(r.meetingOut))])
            #expect(outside.status == .notFound)
            // An auditor may not tick.
            var auditor = PageBrowser(client)
            try await auditor.signIn("user-auditor", password: HostFixture.pagePassword)
            _ = try await auditor.get("/education/circles/\(r.circleIn)")
            #expect(try await auditor.post(path, tick).status == .forbidden)
        }
    }

    @Test("the attendance grid saves through the API's recordAttendance: the same audit row, the same refusal of a person not enrolled")
    func pagesWriteThroughTheAPI() async throws {
        let (runtime, r, tokens) = try await EducationAccessTests.make()
        try await HostFixture.setPagePasswords(runtime)
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = PageBrowser(client)
            try await browser.signIn("user-supervisor", password: HostFixture.pagePassword)
            let (path, token) = ("/education/circles/\(r.circleIn)/attendance", tokens[.supervisor])
            let (tick, untick) = ([("meeting", String(r.meetingIn)), ("present", "\(r.meetingIn):\(r.person)")], [("meeting", String(r.meetingIn))])
            let api = "/api/v1/education/meetings/\(r.meetingIn)/attendance"
            // From present, each way marks the participant absent, then present again: the page's
            // audit rows equal the API's (a row names what changed).
            #expect(try await HostFixture.api(client, .put, api, token: token, json: #"{"presentIds": [\#(r.person)]}"#).status == .ok)
            var mark = try await HostFixture.lastAuditID(runtime)
            for form in [untick, tick] {
                _ = try await browser.get("/education/circles/\(r.circleIn)")
                #expect(try await browser.post(path, form).status == .seeOther)
            }
            let byPage = try await HostFixture.audited(runtime, since: mark)
            mark = try await HostFixture.lastAuditID(runtime)
            for json in [#"{"presentIds": []}"#, #"{"presentIds": [\#(r.person)]}"#] {
                #expect(try await HostFixture.api(client, .put, api, token: token, json: json).status == .ok)
            }
            let byAPI = try await HostFixture.audited(runtime, since: mark)
            #expect(byPage.count == 2)
            #expect(
                byPage.allSatisfy { $0.contains("user-supervisor education meeting attendance with its request [absentIds,presentIds]") },
                "\(byPage)"
            )
            #expect(byPage == byAPI)
            // A person not enrolled: the API's refusal at /presentIds/0, in Swedish on the page, nothing audited.
            mark = try await HostFixture.lastAuditID(runtime)
            _ = try await browser.get("/education/circles/\(r.circleIn)")
            let stranger = try await browser.post(path, [("meeting", String(r.meetingIn)), ("present", "\(r.meetingIn):999999")])
            #expect(stranger.status == .unprocessableContent)
            #expect(stranger.mainText.contains("Person 999999 är inte anmäld till cirkeln."))
            #expect(stranger.body.contains(#"id="attendance-form""#), "the grid again, to mend")
            let strangerByAPI = try HostFixture.problemFields(
                try await HostFixture.api(
                    client,
                    .put,
                    api,
                    token: token,
                    json: #"{"presentIds": [999999]}"#
                )
            )
            #expect(strangerByAPI.status == .unprocessableContent && strangerByAPI.fields == ["/presentIds/0"])
            #expect(try await HostFixture.audited(runtime, since: mark).isEmpty)
        }
        await runtime.shutdown()
    }

    @Test("the attendance grid saves all or nothing: a refusal at a later meeting takes back the earlier meeting's change")
    func gridAllOrNothing() async throws {
        let (runtime, r, tokens) = try await EducationAccessTests.make()
        try await HostFixture.setPagePasswords(runtime)
        let starts: String = try await runtime.database.query(
            "SELECT to_char(starts_at + interval '7 days', 'YYYY-MM-DD\"T\"HH24:MI') AS next FROM education.meetings WHERE id = \(r.meetingIn)"
        ).single().decode("next")
        let present: SQL = "SELECT count(*) AS n FROM education.attendance WHERE meeting_id = \(r.meetingIn) AND present"
        try await buildApplication(runtime: runtime).test(.router) { client in
            let added = try await HostFixture.api(
                client,
                .post,
                "/api/v1/education/circles/\(r.circleIn)/meetings",
                token: tokens[.supervisor],
                json: #"{"startsAt": "\#(starts)", "minutes": 90}"#
            )
            #expect(added.status == .created, "\(String(buffer: added.body))")
            let later: Int = try await runtime.database.query(
                "SELECT max(id) AS id FROM education.meetings WHERE circle_id = \(r.circleIn)"
            ).single().decode("id")
            let before: Int = try await runtime.database.query(present).single().decode("n")
            var browser = PageBrowser(client)
            try await browser.signIn("user-supervisor", password: HostFixture.pagePassword)
            _ = try await browser.get("/education/circles/\(r.circleIn)")
            // The first meeting's tick is a change the API accepts; the later meeting's stranger is refused.
            let first = before == 0 ? [("present", "\(r.meetingIn):\(r.person)")] : []
            let refused = try await browser.post(
                "/education/circles/\(r.circleIn)/attendance",
                [("meeting", String(r.meetingIn)), ("meeting", String(later))] + first + [("present", "\(later):999999")]
            )
            #expect(refused.status == .unprocessableContent)
            #expect(try await runtime.database.query(present).single().decode("n", as: Int.self) == before, "the first meeting is as it was")
        }
        await runtime.shutdown()
    }

    @Test(
        "a supervisor's circle page names only the participants within reach, in the grid and the rule check; the others are counted, and saving the grid keeps their attendance"
    )
    func participantsOutsideReachAreCounted() async throws {
        let (runtime, r) = try await Self.fixture()
        let hedvig = try await EducationAccessTests.enrolOutsider(runtime, r)
        let present: SQL = "SELECT count(*) AS n FROM education.attendance WHERE meeting_id = \(r.meetingIn) AND present AND person_id = \(hedvig)"
        try await buildApplication(runtime: runtime).test(.router) { client in
            for role in [Role.supervisor, .officer] {
                var browser = PageBrowser(client)
                try await browser.signIn("user-\(role)", password: HostFixture.pagePassword)
                let scoped = role == .supervisor
                let circle = try await browser.get("/education/circles/\(r.circleIn)")
                #expect(circle.status == .ok)
                #expect(circle.mainText.contains("Jörgen"), "\(role)")
                #expect(circle.mainText.contains("Hedvig") == !scoped, "\(role): not named in the grid nor the findings")
                #expect(circle.body.contains(":\(hedvig)\"") == !scoped, "\(role): no checkbox for her")
                #expect(circle.mainText.contains("1 andra deltagare") == scoped, "\(role): counted")
                #expect(circle.mainText.contains("0 av 2 räknas"), "\(role): the figures stay the circle's")
            }
            // The supervisor saves the grid with Jörgen ticked: Hedvig stays present.
            var supervisor = PageBrowser(client)
            try await supervisor.signIn("user-supervisor", password: HostFixture.pagePassword)
            let path = "/education/circles/\(r.circleIn)/attendance"
            _ = try await supervisor.get("/education/circles/\(r.circleIn)")
            let saved = try await supervisor.post(path, [("meeting", String(r.meetingIn)), ("present", "\(r.meetingIn):\(r.person)")])
            #expect(saved.status == .seeOther)
            #expect(try await HostFixture.count(runtime, present) == 1)
            // A forged tick for her (or an untick of the whole grid) does not reach her.
            _ = try await supervisor.get("/education/circles/\(r.circleIn)")
            let forged = try await supervisor.post(path, [("meeting", String(r.meetingIn)), ("present", "\(r.meetingIn):\(hedvig)")])
            #expect(forged.status == .unprocessableContent)
            _ = try await supervisor.get("/education/circles/\(r.circleIn)")
            #expect(try await supervisor.post(path, [("meeting", String(r.meetingIn))]).status == .seeOther)
            #expect(try await HostFixture.count(runtime, present) == 1)
        }
        await runtime.shutdown()
    }

    @Test("the start page lists circles needing attention and the organisation page has the section, within reach")
    func sharedPages() async throws {
        let (runtime, r) = try await Self.fixture()
        try await buildApplication(runtime: runtime).test(.router) { client in
            var officer = PageBrowser(client)
            try await officer.signIn("user-officer", password: HostFixture.pagePassword)
            let start = try await officer.get("/")
            #expect(start.mainText.contains("Studiecirkeln uppfyller inte bidragsreglerna"), "one person present at the meeting")
            #expect(start.mainText.contains("Pågår efter planerat slut: Kooperativ (Studieförbundet A) – senast 2001-11-02"))
            #expect(!start.mainText.contains("– senast försenad"), "an item without a day says no day")
            #expect(start.body.contains(#"href="/education/circles/\#(r.circleIn)""#))
            #expect(start.body.contains(#"href="/education/circles/\#(r.circleOut)""#))
            let association = try await officer.get("/registry/organisations/\(r.association)")
            #expect(association.mainText.contains("Studiecirklar som organisationen anordnar"))
            #expect(association.body.contains(#"href="/education/circles/\#(r.circleIn)""#))

            var supervisor = PageBrowser(client)
            try await supervisor.signIn("user-supervisor", password: HostFixture.pagePassword)
            let scoped = try await supervisor.get("/")
            #expect(scoped.body.contains(#"href="/education/circles/\#(r.circleIn)""#))
            #expect(!scoped.body.contains(#"href="/education/circles/\#(r.circleOut)""#))
            let section = try await supervisor.get("/registry/organisations/\(r.association)")
            #expect(section.body.contains(#"href="/education/circles/\#(r.circleIn)""#))
        }
    }

    @Test("the start page's rule check follows every change to a circle's attendance, though it keeps its verdicts")
    func startPageFollowsChanges() async throws {
        let (runtime, r) = try await Self.fixture()
        let failing = "Studiecirkeln uppfyller inte bidragsreglerna: Kooperativ (Studieförbundet A)"
        try await buildApplication(runtime: runtime).test(.router) { client in
            var officer = PageBrowser(client)
            try await officer.signIn("user-officer", password: HostFixture.pagePassword)
            #expect(try await officer.get("/").mainText.contains(failing), "nobody present at the meeting")
            #expect(try await officer.get("/").mainText.contains(failing), "the kept verdict, unchanged")
            // Two more participants, and all three present: the meeting now has enough people.
            let store = try EducationStore(context: runtime.context(for: "education"))
            try await runtime.database.transaction { tx in
                var present = [r.person]
                for name in ["Ylva", "Åke"] {
                    let person = try store.registry.createPerson(PersonDraft(name: name), today: .today(), reach: .everything, actor: .system, in: tx)
                        .id
                    _ = try store.enrol(
                        EnrolmentDraft(personId: person),
                        inCircle: r.circleIn,
                        today: .today(),
                        reach: .everything,
                        actor: .system,
                        in: tx
                    )
                    present.append(person)
                }
                _ = try store.recordAttendance(
                    AttendanceDraft(presentIds: present),
                    atMeeting: r.meetingIn,
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
            }
            let after = try await officer.get("/")
            #expect(!after.mainText.contains(failing), "the changed circle checked again")
            #expect(
                after.mainText.contains("Studiecirkeln uppfyller inte bidragsreglerna: Kooperativ (Studieförbundet B)"),
                "the other one still fails"
            )
            // And back: nobody present again.
            try await runtime.database.transaction { tx in
                _ = try store.recordAttendance(AttendanceDraft(presentIds: []), atMeeting: r.meetingIn, reach: .everything, actor: .system, in: tx)
            }
            #expect(try await officer.get("/").mainText.contains(failing))
        }
    }

    @Test("every text the templates use is in the catalogue, in both languages")
    func catalogue() async throws {
        let (runtime, _) = try await Self.fixture()

        try HostFixture.checkCatalogue(runtime, "education", templates: ["circles", "circle", "organisationSection"])
    }
}
