import CSVKit
import DataAccess
import Foundation
import PluginKit
import Testing

@testable import Education
@testable import Registry

@Suite("Circles, meetings and attendance")
struct CircleTests {
    typealias F = EducationFixture

    @Test("a circle runs from its first meeting; study hours are computed; the compliance check lists every rule with its evidence")
    func compliance() async throws {
        try await F.with { f async throws in
            let circle = try await f.runningCircle()
            #expect(circle.state == .running)
            let meetings = try await f.read { s, db in try s.meetings(ofCircle: circle.id, reach: .everything, in: db) }
            #expect(meetings.map(\.studyHours) == [3, 3, 3])
            let compliance = try await f.read { s, db in try s.compliance(ofCircle: circle.id, reach: .everything, in: db) }
            #expect(compliance.passed)
            #expect(compliance.studyHours == 9)
            #expect(
                compliance.rules.map(\.rule) == [
                    "presentPerMeeting", "minimumMeetings", "minimumStudyHours", "hoursPerMeeting", "meetingsPerWeek", "hoursPerYear",
                    "countedParticipants",
                ]
            )
            #expect(compliance.counted.count == 4)
            #expect(
                compliance.participants.first { $0.personId == f.child }?.reason
                    == "turns 12 in 2001, so the meetings of 2001 do not count; 13 needed"
            )
        }
    }

    @Test("a meeting over 12 hours or in a completed circle, attendance of someone not enrolled: refused, nothing stored")
    func badMeetings() async throws {
        try await F.with { f async throws in
            let circle = try await f.runningCircle()
            let long = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.addMeeting(
                        MeetingDraft(startsAt: "2001-10-01T18:00", minutes: 721),
                        toCircle: circle.id,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(long?.field == "/minutes")
            let badTime = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.addMeeting(
                        MeetingDraft(startsAt: "2001-10-01 25:00", minutes: 90),
                        toCircle: circle.id,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(badTime?.field == "/startsAt")
            let meetingID = try await f.read { s, db in try s.meetings(ofCircle: circle.id, reach: .everything, in: db)[0].id }
            let stranger = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.recordAttendance(
                        AttendanceDraft(presentIds: [f.participants[0], f.leader]),
                        atMeeting: meetingID,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(stranger?.field == "/presentIds/1")
            #expect(try await f.database.query("SELECT 1 FROM education.attendance WHERE meeting_id = \(meetingID) AND present").count == 5)
            _ = try await f.write { s, tx in
                try s.changeState(
                    ofCircle: circle.id,
                    CircleStateChange(state: .completed),
                    mayOverride: false,
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            let closed = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.addMeeting(
                        MeetingDraft(startsAt: "2001-10-01T18:00", minutes: 90),
                        toCircle: circle.id,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(closed?.code == .conflict)
            #expect(try await f.count("meetings") == 3)
        }
    }

    @Test("the same person twice, the leader, or anyone in a reported circle cannot be enrolled")
    func enrolment() async throws {
        try await F.with { f async throws in
            let circle = try await f.runningCircle()
            let twice = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.enrol(
                        EnrolmentDraft(personId: f.participants[0]),
                        inCircle: circle.id,
                        today: F.start,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(twice?.code == .conflict)
            let leader = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.enrol(EnrolmentDraft(personId: f.leader), inCircle: circle.id, today: F.start, reach: .everything, actor: F.actor, in: tx)
                }
            }
            #expect(leader?.field == "/personId")
            for state in [CircleState.completed, .reported] {
                _ = try await f.write { s, tx in
                    try s.changeState(
                        ofCircle: circle.id,
                        CircleStateChange(state: state),
                        mayOverride: false,
                        today: F.start,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            let newcomer = try await f.write { s, tx in
                try s.registry.createPerson(PersonDraft(name: "Ny deltagare"), today: F.start, reach: .everything, actor: F.actor, in: tx).id
            }
            let reported = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.enrol(EnrolmentDraft(personId: newcomer), inCircle: circle.id, today: F.start, reach: .everything, actor: F.actor, in: tx)
                }
            }
            #expect(reported?.code == .conflict)
            #expect(try await f.count("enrolments") == 5)
        }
    }

    @Test("a circle that breaks a rule is reported only with an officer's override, which is audited")
    func override() async throws {
        try await F.with { f async throws in
            let circle = try await f.runningCircle(meetings: 2)
            _ = try await f.write { s, tx in
                try s.changeState(
                    ofCircle: circle.id,
                    CircleStateChange(state: .completed),
                    mayOverride: false,
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            let refused = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.changeState(
                        ofCircle: circle.id,
                        CircleStateChange(state: .reported),
                        mayOverride: true,
                        today: F.start,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(refused?.code == .conflict)
            #expect(refused?.message.contains("minimumMeetings") == true)
            let notAllowed = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.changeState(
                        ofCircle: circle.id,
                        CircleStateChange(state: .reported, overrideReason: "Sjukdom"),
                        mayOverride: false,
                        today: F.start,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(notAllowed?.code == .forbidden)
            let reported = try await f.write { s, tx in
                try s.changeState(
                    ofCircle: circle.id,
                    CircleStateChange(state: .reported, overrideReason: "Ledaren blev sjuk; beslut av enheten"),
                    mayOverride: true,
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            #expect(reported.state == .reported)
            #expect(reported.overrideReason?.hasPrefix("Ledaren blev sjuk") == true)
            #expect(reported.overrideReason?.contains("minimumMeetings") == true)
            let audit = try await f.database.query("SELECT action FROM kernel.audit_log WHERE entity = 'circle' AND action LIKE 'state.reported%'")
            #expect(try audit.map { try $0.decode("action", as: String.self) } == ["state.reported.override"])
        }
    }

    @Test(
        "a completed circle that formed a cooperative publishes the event; the registry registers it with the counted participants as cooperators, once"
    )
    func formedCooperative() async throws {
        try await F.with { f async throws in
            let circle = try await f.runningCircle()
            _ = try await f.write { s, tx in
                try s.changeState(
                    ofCircle: circle.id,
                    CircleStateChange(state: .completed, formedCooperative: "Cykelverkstan Hjulet", on: F.start.adding(days: 30)),
                    mayOverride: false,
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            let row = try await f.database.query("SELECT payload FROM kernel.outbox WHERE name = 'education.circleFormedCooperative'").single()
            let event = try row.decode("payload", as: JSONB<CircleFormedCooperative>.self).value
            #expect(event.name == "Cykelverkstan Hjulet")
            #expect(Set(event.participantIds) == Set(f.participants))
            #expect(!event.participantIds.contains(f.child))
            // The registry's handler, as the dispatcher runs it (twice: delivery is at least once).
            for _ in 0..<2 {
                _ = try await f.database.transaction { [registry = f.registry] tx in
                    try registry.cooperativeFormed(name: event.name, organisationId: nil, participants: event.participantIds, on: event.on, in: tx)
                }
            }
            let organisation = try await f.database.query(
                "SELECT id, state, kind FROM registry.organisations WHERE name = 'Cykelverkstan Hjulet'"
            ).single()
            #expect(try organisation.decode("state", as: String.self) == "prospect")
            let id: Int = try organisation.decode("id")
            let roles = try await f.database.query("SELECT person_id FROM registry.roles WHERE organisation_id = \(id) AND role = 'cooperator'")
            #expect(Set(try roles.map { try $0.decode("person_id", as: Int.self) }) == Set(f.participants))
        }
    }

    @Test("reports: a circle's meetings, study hours and counted participants by gender; per period and study association, unique participants")
    func reports() async throws {
        try await F.with { f async throws in
            let circle = try await f.runningCircle(meetings: 4)
            let report = try await f.read { s, db in try s.circleReport(id: circle.id, reach: .everything, in: db) }
            #expect(report.meetings == 4)
            #expect(report.studyHours == 12)
            #expect(report.countedByGender == ["male": 3, "female": 1])
            let period = try await f.read { s, db in
                try s.periodReport(from: F.start, to: F.start.adding(days: 13), studyAssociationId: nil, reach: .everything, in: db)
            }
            #expect(period.count == 1)
            #expect(period[0].meetings == 2)
            #expect(period[0].studyHours == 6)
            #expect(period[0].uniqueParticipants == 5)
            let list = try await f.write { s, tx in
                try s.attendanceList(ofCircle: circle.id, revealNumbers: false, reach: .everything, actor: F.actor, in: tx)
            }
            #expect(list.rows.count == 5)
            #expect(list.text.contains("19780412-****") && !list.text.contains("3458"))
            let full = try await f.write { s, tx in
                try s.attendanceList(ofCircle: circle.id, revealNumbers: true, reach: .everything, actor: F.actor, in: tx)
            }
            #expect(full.text.contains("19780412-3458"))
            #expect(try await f.database.query("SELECT 1 FROM kernel.audit_log WHERE action LIKE 'reveal identity number%'").count == 5)
        }
    }

    @Test("attendance at a meeting out of reach answers as at a missing meeting, word for word (issue 19, point 17)")
    func attendanceOutOfReach() async throws {
        try await F.with { f async throws in
            let circle = try await f.runningCircle(meetings: 1)
            let meeting = try await f.read { s, db in try s.meetings(ofCircle: circle.id, reach: .everything, in: db) }[0]
            func refusal(_ meetingID: Int) async -> String {
                do {
                    _ = try await f.write { s, tx in
                        try s.recordAttendance(
                            AttendanceDraft(presentIds: f.participants),
                            atMeeting: meetingID,
                            reach: .nothing,
                            actor: F.actor,
                            in: tx
                        )
                    }
                    return "recorded"
                } catch let error as FeatureError {
                    return "\(error.code) \(error.message) \(error.field ?? "") \(error.wording?.key ?? "")"
                } catch {
                    return "\(error)"
                }
            }
            let missing = meeting.id + 1_000_000
            let outOfReach = await refusal(meeting.id)
            let absent = await refusal(missing)
            #expect(outOfReach.replacingOccurrences(of: String(meeting.id), with: "N") == absent.replacingOccurrences(of: String(missing), with: "N"))
            #expect(!outOfReach.contains("circle"), "\(outOfReach)")
        }
    }

    @Test("a period counts only people present in it: present before and after a period but absent in it does not count")
    func periodPresence() async throws {
        try await F.with { f async throws in
            let circle = try await f.runningCircle(meetings: 4)
            let meetings = try await f.read { s, db in try s.meetings(ofCircle: circle.id, reach: .everything, in: db) }
            let absent = f.participants[0]
            for meeting in meetings[1...2] {
                _ = try await f.write { s, tx in
                    try s.recordAttendance(
                        AttendanceDraft(presentIds: (f.participants + [f.child]).filter { $0 != absent }),
                        atMeeting: meeting.id,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            func unique(_ from: Int, _ to: Int) async throws -> Int {
                try await f.read { s, db in
                    try s.periodReport(
                        from: F.start.adding(days: from),
                        to: F.start.adding(days: to),
                        studyAssociationId: nil,
                        reach: .everything,
                        in: db
                    )
                }.first?.uniqueParticipants ?? 0
            }
            #expect(try await unique(7, 14) == 4, "the middle two meetings: one of five was away")
            #expect(try await unique(0, 7) == 5, "the first two: everyone")
            #expect(try await unique(14, 21) == 5, "the last two: everyone")
            #expect(try await unique(0, 30) == 5)
        }
    }
}
