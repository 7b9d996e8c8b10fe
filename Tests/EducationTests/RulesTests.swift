import DataAccess
import PluginKit
import PropertyBased
import Registry
import Testing

@testable import Education

/// The grant rules (DOMAIN.md 6–11) on each side of every limit, without a database.
@Suite("Grant rules")
struct RulesTests {
    static let settings = EducationSettings()
    static let day = LocalDate(year: 2001, month: 9, day: 3)!  // a Monday

    /// `count` weekly meetings of `minutes` each, with `present` participants at each.
    static func record(
        meetings count: Int = 4,
        minutes: Int = 135,
        present: Int = 4,
        participants: Int = 4,
        birthYear: Int? = 1980
    )
        -> CircleRecord
    {
        let people = (1...max(participants, 1)).prefix(participants).map {
            CircleRecord.Participant(id: $0, name: "P\($0)", gender: $0 % 2 == 0 ? .female : .male, birthYear: birthYear)
        }
        let meetings = (0..<count).map { index in
            let day = Self.day.adding(days: 7 * index)
            return CircleRecord.MeetingFacts(
                id: index + 1,
                startsAt: "\(day)T18:00",
                day: day,
                minutes: minutes,
                present: Set(people.prefix(present).map(\.id))
            )
        }
        return CircleRecord(meetings: meetings, participants: people)
    }

    static func rule(_ name: String, _ record: CircleRecord, _ settings: EducationSettings = settings) -> Compliance.RuleResult {
        Compliance(circleId: 1, record: record, settings: settings).rules.first { $0.rule == name }!
    }

    @Test("a study hour is 45 minutes; parts are dropped (rule 6)")
    func studyHours() {
        #expect(StudyHours.of(minutes: 44) == 0)
        #expect(StudyHours.of(minutes: 45) == 1)
        #expect(StudyHours.of(minutes: 89) == 1)
        #expect(StudyHours.of(minutes: 135) == 3)
        #expect(StudyHours.of(minutes: 60, hourMinutes: 60) == 1)
    }

    @Test("study hours: whole units only, never more than the minutes hold, one more unit never fits")
    func studyHoursProperty() async {
        await propertyCheck(input: Gen.int(in: 1...720), Gen.int(in: 1...120)) { minutes, unit in
            let hours = StudyHours.of(minutes: minutes, hourMinutes: unit)
            #expect(hours * unit <= minutes)
            #expect((hours + 1) * unit > minutes)
        }
    }

    @Test("3–20 present per meeting, the leader included (rule 7)")
    func presentPerMeeting() {
        #expect(!Self.rule("presentPerMeeting", Self.record(present: 1)).passed)  // 2 with the leader
        #expect(Self.rule("presentPerMeeting", Self.record(present: 2)).passed)  // 3
        #expect(Self.rule("presentPerMeeting", Self.record(present: 19, participants: 19)).passed)  // 20
        let crowded = Self.rule("presentPerMeeting", Self.record(present: 20, participants: 20))
        #expect(!crowded.passed)
        #expect(crowded.evidence.first == "2001-09-03T18:00: 21 present")
    }

    @Test("at least 3 meetings and 9 study hours (rule 8)")
    func minimums() {
        #expect(!Self.rule("minimumMeetings", Self.record(meetings: 2)).passed)
        #expect(Self.rule("minimumMeetings", Self.record(meetings: 3)).passed)
        #expect(!Self.rule("minimumStudyHours", Self.record(meetings: 4, minutes: 134)).passed)  // 4 × 2 = 8
        #expect(Self.rule("minimumStudyHours", Self.record(meetings: 3, minutes: 135)).passed)  // 3 × 3 = 9
    }

    @Test("at most 4 study hours per meeting and 3 meetings per calendar week (rule 9)")
    func perMeetingAndWeek() {
        #expect(Self.rule("hoursPerMeeting", Self.record(minutes: 224)).passed)  // 4 study hours
        #expect(!Self.rule("hoursPerMeeting", Self.record(minutes: 225)).passed)  // 5
        var record = Self.record(meetings: 3)
        record.meetings = record.meetings.enumerated().map { index, meeting in
            var meeting = meeting
            meeting.day = Self.day.adding(days: index * 2)  // Monday, Wednesday, Friday
            meeting.startsAt = "\(meeting.day)T18:00"
            return meeting
        }
        #expect(Self.rule("meetingsPerWeek", record).passed)
        var busy = record
        let sunday = Self.day.adding(days: 6)
        busy.meetings.append(.init(id: 9, startsAt: "\(sunday)T10:00", day: sunday, minutes: 90, present: [1, 2]))
        let result = Self.rule("meetingsPerWeek", busy)
        #expect(!result.passed)
        #expect(result.evidence == ["week of 2001-09-03: 4 meetings"])
        var nextWeek = record
        let monday = Self.day.adding(days: 7)
        nextWeek.meetings.append(.init(id: 9, startsAt: "\(monday)T10:00", day: monday, minutes: 90, present: [1, 2]))
        #expect(Self.rule("meetingsPerWeek", nextWeek).passed)
    }

    @Test("at most 480 study hours per circle and calendar year (rule 10)")
    func perYear() {
        /// `count` meetings of 12 study hours every other day from 1 January, all in one year.
        func packed(_ count: Int) -> CircleRecord {
            var record = Self.record(meetings: count, minutes: 540)
            let first = LocalDate(year: 2002, month: 1, day: 1)!
            for index in record.meetings.indices {
                record.meetings[index].day = first.adding(days: 2 * index)
                record.meetings[index].startsAt = "\(record.meetings[index].day)T09:00"
            }
            return record
        }
        #expect(Self.rule("hoursPerYear", packed(40)).passed)  // 480
        let over = Self.rule("hoursPerYear", packed(41))  // 492
        #expect(!over.passed)
        #expect(over.evidence == ["2002: 492 study hours"])
        var settings = Self.settings
        settings.maxHoursPerYear = 35
        #expect(!Self.rule("hoursPerYear", packed(3), settings).passed)  // 36 > 35
    }

    @Test("a participant counts with 3 meetings, one among the first 3, and 13 years or older (rule 11)")
    func participantCounting() {
        let s = Self.settings
        var record = Self.record(meetings: 5)
        func count(_ id: Int, _ record: CircleRecord) -> Compliance.Counted {
            Compliance.count(record.participants.first { $0.id == id }!, meetings: record.meetings, settings: s)
        }
        // Person 1 at meetings 1, 4, 5 counts; at 4 and 5 only does not; at 4, 5 and a sixth but none of the first three does not.
        for index in record.meetings.indices { record.meetings[index].present = index == 0 || index >= 3 ? [1] : [] }
        #expect(count(1, record).counts)
        record.meetings[0].present = []
        #expect(count(1, record).reason == "present at 2 meetings; 3 needed")
        record.meetings.append(.init(id: 6, startsAt: "2001-10-08T18:00", day: LocalDate(year: 2001, month: 10, day: 8)!, minutes: 135, present: [1]))
        #expect(count(1, record).reason == "not present at any of the first 3 meetings")
        // The age reached in the year of the meetings (2001): 13 counts (whether the birthday
        // is before or after the meeting), 12 does not, unknown does not.
        let thirteen = Self.record(birthYear: 1988)
        #expect(count(1, thirteen).counts)
        let twelve = Self.record(birthYear: 1989)
        #expect(count(1, twelve).reason == "turns 12 in 2001, so the meetings of 2001 do not count; 13 needed")
        #expect(count(1, Self.record(birthYear: nil)).reason == "age unknown (no birth year)")
        #expect(count(1, Self.record(birthYear: nil)).reasonWording?.key == "ageUnknown")
    }

    /// Weekly meetings from `first`, everyone present, participant 1 born in `birthYear`.
    static func meetings(from first: LocalDate, count: Int, birthYear: Int) -> CircleRecord {
        var record = Self.record(meetings: count, birthYear: birthYear)
        for index in record.meetings.indices {
            let day = first.adding(days: 7 * index)
            record.meetings[index].day = day
            record.meetings[index].startsAt = "\(day)T18:00"
        }
        return record
    }

    @Test("age 13 by the calendar year of the meeting, across a new year (rule 11 as corrected)")
    func ageAtTheYearBoundary() {
        func counted(_ record: CircleRecord) -> Compliance.Counted {
            Compliance.count(record.participants[0], meetings: record.meetings, settings: Self.settings)
        }
        // Born 2002: turns 13 on any day of 2015, so a circle wholly in 2015 counts them from its
        // first meeting on 2 January, birthday or not.
        let january = LocalDate(year: 2015, month: 1, day: 2)!
        #expect(counted(Self.meetings(from: january, count: 3, birthYear: 2002)).counts)
        #expect(
            counted(Self.meetings(from: january, count: 3, birthYear: 2003)).reason
                == "turns 12 in 2015, so the meetings of 2015 do not count; 13 needed"
        )
        // Three meetings in December 2014 and three in January 2015: born 2002, they turn 12 in
        // 2014, so only the January meetings count, none of them among the first three: not counted.
        let december = LocalDate(year: 2014, month: 12, day: 12)!
        let acrossNewYear = Self.meetings(from: december, count: 6, birthYear: 2002)
        #expect(acrossNewYear.meetings.map(\.day.year) == [2014, 2014, 2014, 2015, 2015, 2015])
        #expect(counted(acrossNewYear).reason == "turns 12 in 2014, so the meetings of 2014 do not count; 13 needed")
        #expect(counted(acrossNewYear).reasonWording == Wording("tooYoung", ["age": "12", "year": "2014", "minAge": "13"]))
        // Born 2001, they turn 13 in 2014: every meeting counts.
        #expect(counted(Self.meetings(from: december, count: 6, birthYear: 2001)).counts)
        // Two December meetings and four in January: the third meeting (2 January) is among the
        // first three and they count at it and the next ones.
        let lateDecember = LocalDate(year: 2014, month: 12, day: 19)!
        let third = Self.meetings(from: lateDecember, count: 6, birthYear: 2002)
        #expect(third.meetings[2].day == LocalDate(year: 2015, month: 1, day: 2)!)
        #expect(counted(third).counts)
    }

    @Test("counting: never with fewer than 3 meetings or none of the first 3; another meeting attended never stops a participant counting")
    func countingProperty() async {
        await propertyCheck(input: Gen.int(in: 0...1023), Gen.int(in: 3...10), Gen.int(in: 0...9)) { mask, meetings, extra in
            var record = Self.record(meetings: meetings, participants: 1)
            for index in record.meetings.indices { record.meetings[index].present = mask & (1 << index) != 0 ? [1] : [] }
            let person = record.participants[0]
            let counted = Compliance.count(person, meetings: record.meetings, settings: Self.settings)
            let attended = record.meetings.filter { $0.present.contains(1) }.count
            let early = record.meetings.prefix(3).contains { $0.present.contains(1) }
            #expect(counted.counts == (attended >= 3 && early))
            var more = record
            more.meetings[extra % meetings].present = [1]
            if counted.counts { #expect(Compliance.count(person, meetings: more.meetings, settings: Self.settings).counts) }
        }
    }
}
