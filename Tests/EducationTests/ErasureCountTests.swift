import DataAccess
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Education

/// Rule 24: erasing a person replaces their identifying data and keeps the counts, so a circle
/// already reported reads the same figures after one of its participants is erased.
@Suite("Erasure keeps a reported circle's counts")
struct ErasureCountTests {
    typealias F = EducationFixture

    @Test("a reported circle's counted participants, study hours and period report are equal before and after erasing two of its participants")
    func countsKept() async throws {
        try await F.with { f in
            let circle = try await f.runningCircle(meetings: 3)
            // A participant with a protected identity, counted by the birth year given at the enrolment.
            let protected = try await f.write { s, tx in
                let id = try s.registry.createPerson(
                    PersonDraft(name: "Skyddad Deltagare", identityStatus: .protected, gender: .female),
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                ).id
                _ = try s.enrol(
                    EnrolmentDraft(personId: id, birthYear: 1975),
                    inCircle: circle.id,
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
                for meeting in try s.meetings(ofCircle: circle.id, reach: .everything, in: tx) {
                    _ = try s.recordAttendance(
                        AttendanceDraft(presentIds: f.participants + [f.child, id]),
                        atMeeting: meeting.id,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
                for state in [CircleState.completed, .reported] {
                    _ = try s.changeState(
                        ofCircle: circle.id,
                        CircleStateChange(state: state),
                        mayOverride: false,
                        today: F.start,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
                return id
            }
            let end = F.start.adding(days: 30)
            func figures() async throws -> (CircleReport, [AssociationPeriodReport]) {
                try await f.read { s, db in
                    (
                        try s.circleReport(id: circle.id, reach: .everything, in: db),
                        try s.periodReport(from: F.start, to: end, studyAssociationId: nil, reach: .everything, in: db)
                    )
                }
            }
            let before = try await figures()
            #expect(before.0.state == .reported)
            #expect(before.0.countedParticipants == 5, "four adults with numbers and the protected one; the child is 12")
            #expect(before.0.countedByGender == ["male": 3, "female": 2])
            #expect(before.0.studyHours == 9)
            #expect(before.1.first?.uniqueParticipants == 6)
            for person in [f.participants[1], protected] {
                try await f.write { s, tx in
                    _ = try s.registry.erasePerson(id: person, actor: F.actor, in: tx)
                    _ = try s.personErased(person, in: tx)
                }
            }
            let erased = try await f.read { s, db in try s.registry.person(id: f.participants[1], reach: .everything, in: db) }
            #expect(erased.identityNumber == nil && erased.birthDate == nil && erased.name.hasPrefix("Pseudonym"))
            let after = try await figures()
            #expect(after.0 == before.0, "the circle's report")
            #expect(after.1 == before.1, "the period report")
            let compliance = try await f.read { s, db in try s.compliance(ofCircle: circle.id, reach: .everything, in: db) }
            #expect(compliance.participants.first { $0.personId == protected }?.counts == true)
            #expect(compliance.participants.first { $0.personId == f.participants[1] }?.counts == true)
        }
    }
}

/// The period report answers for its period (issue 22, point 2): what happens after it — the
/// circle reported, a participant withdrawn, meetings of a later year — leaves its figures as they were.
@Suite("Education period report as of its period")
struct PeriodAsOfTests {
    typealias F = EducationFixture

    @Test("a 2001 period's figures are equal before and after the circle goes on into 2002, a participant is withdrawn and the circle is reported")
    func periodKept() async throws {
        try await F.with { f in
            let circle = try await f.runningCircle(meetings: 3)
            let (from, to) = (LocalDate(year: 2001, month: 9, day: 1)!, LocalDate(year: 2001, month: 12, day: 31)!)
            func period() async throws -> [AssociationPeriodReport] {
                try await f.read { s, db in try s.periodReport(from: from, to: to, studyAssociationId: nil, reach: .everything, in: db) }
            }
            let before = try await period()
            #expect(before.first?.meetings == 3 && before.first?.uniqueParticipants == 5 && before.first?.studyHours == 9)
            try await f.write { s, tx in
                let later = try s.addMeeting(
                    MeetingDraft(startsAt: "2002-01-14T18:00", minutes: 135),
                    toCircle: circle.id,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
                _ = try s.recordAttendance(
                    AttendanceDraft(presentIds: f.participants),
                    atMeeting: later.id,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
                _ = try s.withdraw(
                    WithdrawalDraft(personId: f.child, on: LocalDate(year: 2002, month: 1, day: 15)),
                    fromCircle: circle.id,
                    today: LocalDate(year: 2002, month: 1, day: 15)!,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
                for state in [CircleState.completed, .reported] {
                    _ = try s.changeState(
                        ofCircle: circle.id,
                        CircleStateChange(state: state),
                        mayOverride: false,
                        today: LocalDate(year: 2002, month: 2, day: 1)!,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(try await period() == before)
        }
    }
}
