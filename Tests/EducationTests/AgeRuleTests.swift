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

/// Rule 11 as corrected: 13 or older, or turning 13, in the calendar year of the meeting; a
/// participant with a protected identity counts by the birth year given at the enrolment; one
/// with no birth year is shown as "age unknown" on the rule check, in the API and on the page.
@Suite("Age rule: birth years, protected identities, age unknown")
struct AgeRuleTests {
    /// A person with a protected identity (no number, so no birth year in the registry).
    static func protected(_ name: String, _ registry: Registry, in tx: Transaction) throws -> Int {
        try registry.createPerson(
            PersonDraft(name: name, identityStatus: .protected, gender: .female),
            today: EducationFixture.start,
            reach: .everything,
            actor: EducationFixture.actor,
            in: tx
        ).id
    }

    @Test("a protected identity counts by the birth year given; none given is 'age unknown'; a year beside an identity number is refused")
    func protectedIdentity() async throws {
        try await EducationFixture.with { f in
            let circle = try await f.runningCircle(meetings: 3)
            let unknown = try await f.write { s, tx in
                let born1980 = try Self.protected("Skyddad Vuxen", s.registry, in: tx)
                let born1989 = try Self.protected("Skyddad Ung", s.registry, in: tx)
                let unknown = try Self.protected("Skyddad Okänd", s.registry, in: tx)
                // Circle of 2001: born 1980 counts, born 1989 (turns 12) does not, unknown does not.
                for (person, year) in [(born1980, 1980), (born1989, 1989), (unknown, nil)] as [(Int, Int?)] {
                    _ = try s.enrol(
                        EnrolmentDraft(personId: person, birthYear: year),
                        inCircle: circle.id,
                        today: EducationFixture.start,
                        reach: .everything,
                        actor: EducationFixture.actor,
                        in: tx
                    )
                }
                for meeting in try s.meetings(ofCircle: circle.id, reach: .everything, in: tx) {
                    _ = try s.recordAttendance(
                        AttendanceDraft(presentIds: f.participants + [f.child, born1980, born1989, unknown]),
                        atMeeting: meeting.id,
                        reach: .everything,
                        actor: EducationFixture.actor,
                        in: tx
                    )
                }
                return unknown
            }
            let compliance = try await f.read { s, db in try s.compliance(ofCircle: circle.id, reach: .everything, in: db) }
            let byName = Dictionary(uniqueKeysWithValues: compliance.participants.map { ($0.name, $0) })
            #expect(byName["Skyddad Vuxen"]?.counts == true, "born 1980: counted by the year given")
            #expect(byName["Skyddad Ung"]?.reason == "turns 12 in 2001, so the meetings of 2001 do not count; 13 needed")
            #expect(byName["Skyddad Okänd"]?.reason == "age unknown (no birth year)", "shown, not dropped")
            #expect(compliance.participants.count == 8, "everyone enrolled is on the rule check")
            let rule = try #require(compliance.rules.first { $0.rule == Compliance.countedRule })
            #expect(rule.evidence.contains("Skyddad Okänd: age unknown (no birth year)"))
            #expect(compliance.counted.count == 5, "four adults with numbers and the protected adult")
            // A birth year for a person whose identity number tells it is refused at the field.
            let refused = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    let other = try s.createCircle(f.circleDraft(), actor: EducationFixture.actor, in: tx)
                    return try s.enrol(
                        EnrolmentDraft(personId: f.participants[0], birthYear: 1978),
                        inCircle: other.id,
                        today: EducationFixture.start,
                        reach: .everything,
                        actor: EducationFixture.actor,
                        in: tx
                    )
                }
            }
            #expect(refused?.field == "/birthYear")
            let future = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    let other = try s.createCircle(f.circleDraft(), actor: EducationFixture.actor, in: tx)
                    return try s.enrol(
                        EnrolmentDraft(personId: unknown, birthYear: 2002),
                        inCircle: other.id,
                        today: EducationFixture.start,
                        reach: .everything,
                        actor: EducationFixture.actor,
                        in: tx
                    )
                }
            }
            #expect(future?.field == "/birthYear", "after this year")
        }
    }

    @Test("over HTTP: a birth year enrolled through the API counts; no birth year reads 'age unknown' in the API and 'ålder okänd' on the page")
    func ageUnknownShown() async throws {
        let (runtime, r, tokens) = try await EducationAccessTests.make()
        try await HostFixture.setPagePasswords(runtime)
        let store = try EducationStore(context: runtime.context(for: "education"))
        let (given, unknown) = try await runtime.database.transaction { tx in
            (try Self.protected("Siri Skyddad", store.registry, in: tx), try Self.protected("Okänd Ålder", store.registry, in: tx))
        }
        try await buildApplication(runtime: runtime).test(.router) { client in
            let officer: HTTPFields = [.authorization: "Bearer \(tokens[.officer]!)", .contentType: "application/json"]
            for body in [#"{"personId": \#(given), "birthYear": 1985}"#, #"{"personId": \#(unknown)}"#] {
                let enrolled = try await client.execute(
                    uri: "/api/v1/education/circles/\(r.circleIn)/enrolments",
                    method: .post,
                    headers: officer,
                    body: ByteBuffer(string: body)
                )
                #expect(enrolled.status == .created, "\(body)")
            }
            let refused = try await client.execute(
                uri: "/api/v1/education/circles/\(r.circleOut)/enrolments",
                method: .post,
                headers: officer,
                body: ByteBuffer(string: #"{"personId": \#(r.person), "birthYear": 1978}"#)
            )
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("/birthYear"))
            // Two more meetings, everyone present at all three.
            try await runtime.database.transaction { tx in
                for day in ["2001-09-10", "2001-09-17"] {
                    _ = try store.addMeeting(
                        MeetingDraft(startsAt: "\(day)T18:00", minutes: 135),
                        toCircle: r.circleIn,
                        reach: .everything,
                        actor: .system,
                        in: tx
                    )
                }
                for meeting in try store.meetings(ofCircle: r.circleIn, reach: .everything, in: tx) {
                    _ = try store.recordAttendance(
                        AttendanceDraft(presentIds: [r.person, given, unknown]),
                        atMeeting: meeting.id,
                        reach: .everything,
                        actor: .system,
                        in: tx
                    )
                }
            }
            let compliance = try await client.execute(uri: "/api/v1/education/circles/\(r.circleIn)/compliance", method: .get, headers: officer)
            let text = String(buffer: compliance.body)
            #expect(compliance.status == .ok)
            #expect(text.contains("Okänd Ålder: age unknown (no birth year)"))
            #expect(text.contains("2 of 3 count"), "Jörgen and Siri, by the year given")
            var browser = PageBrowser(client)
            try await browser.signIn("user-officer", password: HostFixture.pagePassword)
            let page = try await browser.get("/education/circles/\(r.circleIn)")
            #expect(page.mainText.contains("Okänd Ålder: ålder okänd (inget födelseår)"))
            #expect(page.mainText.contains("2 av 3 räknas"))
            #expect(page.mainText.contains("Assisterande handledare"), "the circle's assisting supervisor, in Swedish")
        }
        await runtime.shutdown()
    }
}
