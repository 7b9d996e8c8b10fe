import DataAccess
import PluginKit
import Registry

/// Every grant rule (DOMAIN.md rules 6–11) checked against a circle, each with pass or fail and
/// the evidence, and the participants who count.
struct Compliance: Sendable, Hashable, Codable {
    /// One rule's outcome.
    struct RuleResult: Sendable, Hashable, Codable {
        /// The rule's stable name, e.g. `presentPerMeeting`.
        var rule: String
        /// The rule in words, with the configured numbers.
        var text: String
        var passed: Bool
        /// What was found: the figures, and each meeting, week, year or person that breaks it.
        var evidence: [String]
        /// The evidence as catalogue keys (`finding_<key>`), for pages in the reader's language.
        var findings: [Wording] = []

        enum CodingKeys: String, CodingKey { case rule, text, passed, evidence }

        init(rule: String, text: String, passed: Bool, evidence: [String], findings: [Wording]) {
            (self.rule, self.text, self.passed, self.evidence, self.findings) = (rule, text, passed, evidence, findings)
        }
    }

    /// A participant and whether (and why not) they count.
    struct Counted: Sendable, Hashable, Codable {
        var personId: Int
        var name: String
        var gender: Gender
        var meetingsAttended: Int
        var counts: Bool
        var reason: String?
        /// The reason as a catalogue key, for pages.
        var reasonWording: Wording?

        enum CodingKeys: String, CodingKey { case personId, name, gender, meetingsAttended, counts, reason }
    }

    var circleId: Int
    var passed: Bool
    var meetings: Int
    var studyHours: Int
    var rules: [RuleResult]
    var participants: [Counted]
    /// Participants outside the reader's reach: counted in the rules' figures, not named
    /// (``naming(only:)``); `nil` when every participant is named.
    var otherParticipants: Int?

    /// The participants who count.
    var counted: [Counted] { participants.filter(\.counts) }
}

extension Compliance {
    /// Checks `record` against the rules with the configured numbers.
    init(circleId: Int, record: CircleRecord, settings s: EducationSettings) {
        let meetings = record.meetings.sorted { ($0.startsAt, $0.id) < ($1.startsAt, $1.id) }
        let hours = meetings.map { StudyHours.of(minutes: $0.minutes, hourMinutes: s.hourMinutes) }
        let totalHours = hours.reduce(0, +)
        var rules: [RuleResult] = []

        // Rule 7: people present per meeting, the leader included.
        let crowd = meetings.filter { !(s.minPresent...s.maxPresent).contains($0.present.count + 1) }
        rules.append(
            RuleResult(
                rule: "presentPerMeeting",
                text: "\(s.minPresent)–\(s.maxPresent) people present at every meeting, the leader included",
                passed: crowd.isEmpty,
                evidence: crowd.map { "\($0.startsAt): \($0.present.count + 1) present" },
                findings: crowd.map { Wording("crowd", ["meeting": $0.startsAt, "count": "\($0.present.count + 1)"]) }
            )
        )
        // Rule 8: meetings and study hours of the circle.
        rules.append(
            RuleResult(
                rule: "minimumMeetings",
                text: "at least \(s.minMeetings) meetings",
                passed: meetings.count >= s.minMeetings,
                evidence: ["\(meetings.count) meetings"],
                findings: [Wording("meetings", ["count": "\(meetings.count)"])]
            )
        )
        rules.append(
            RuleResult(
                rule: "minimumStudyHours",
                text: "at least \(s.minStudyHours) study hours (of \(s.hourMinutes) minutes, parts dropped)",
                passed: totalHours >= s.minStudyHours,
                evidence: ["\(totalHours) study hours"],
                findings: [Wording("studyHours", ["count": "\(totalHours)"])]
            )
        )
        // Rule 9: study hours per meeting, meetings per calendar week.
        let long = zip(meetings, hours).filter { $0.1 > s.maxHoursPerMeeting }
        rules.append(
            RuleResult(
                rule: "hoursPerMeeting",
                text: "at most \(s.maxHoursPerMeeting) study hours per meeting",
                passed: long.isEmpty,
                evidence: long.map { "\($0.0.startsAt): \($0.1) study hours (\($0.0.minutes) minutes)" },
                findings: long.map { Wording("longMeeting", ["meeting": $0.0.startsAt, "hours": "\($0.1)", "minutes": "\($0.0.minutes)"]) }
            )
        )
        let weeks = Dictionary(grouping: meetings) { $0.day.weekMonday }
        let busy = weeks.filter { $0.value.count > s.maxMeetingsPerWeek }.sorted { $0.key < $1.key }
        rules.append(
            RuleResult(
                rule: "meetingsPerWeek",
                text: "at most \(s.maxMeetingsPerWeek) meetings per calendar week",
                passed: busy.isEmpty,
                evidence: busy.map { "week of \($0.key): \($0.value.count) meetings" },
                findings: busy.map { Wording("busyWeek", ["monday": "\($0.key)", "count": "\($0.value.count)"]) }
            )
        )
        // Rule 10: study hours per circle and calendar year.
        var perYear: [Int: Int] = [:]
        for (meeting, hour) in zip(meetings, hours) { perYear[meeting.day.year, default: 0] += hour }
        let heavy = perYear.filter { $0.value > s.maxHoursPerYear }.sorted { $0.key < $1.key }
        rules.append(
            RuleResult(
                rule: "hoursPerYear",
                text: "at most \(s.maxHoursPerYear) study hours per calendar year",
                passed: heavy.isEmpty,
                evidence: heavy.map { "\($0.key): \($0.value) study hours" },
                findings: heavy.map { Wording("heavyYear", ["year": "\($0.key)", "hours": "\($0.value)"]) }
            )
        )
        // Rule 11: who counts (the evidence and findings after the first follow the participants who do not, in
        // the record's order: names in Swedish order, which Swift's `<` on strings is not).
        let participants = record.participants.map { Self.count($0, meetings: meetings, settings: s) }
        let counted = participants.filter(\.counts)
        rules.append(
            RuleResult(
                rule: Self.countedRule,
                text:
                    "a participant counts when present at \(s.minMeetingsAttended) meetings or more, one of the first \(s.firstMeetings), and \(s.minAge) or older or turning \(s.minAge) in the calendar year of the meeting; at least one must count",
                passed: !counted.isEmpty,
                evidence: ["\(counted.count) of \(participants.count) count"]
                    + participants.filter { !$0.counts }.map { "\($0.name): \($0.reason ?? "")" },
                findings: [Wording("counted", ["count": "\(counted.count)", "of": "\(participants.count)"])]
                    + participants.compactMap { person in
                        person.reasonWording.map { Wording($0.key, $0.values.merging(["name": person.name]) { _, name in name }) }
                    }
            )
        )
        self.init(
            circleId: circleId,
            passed: rules.allSatisfy(\.passed),
            meetings: meetings.count,
            studyHours: totalHours,
            rules: rules,
            participants: participants
        )
    }

    /// The name of rule 11's result, the one rule whose evidence names people.
    static let countedRule = "countedParticipants"

    /// The verdict as a reader who may see only the people in `visible` reads it: the others are
    /// left out of ``participants`` and of rule 11's evidence, and counted in
    /// ``otherParticipants``; every figure and pass or fail stays as it was.
    func naming(only visible: Set<Int>) -> Compliance {
        let hidden = participants.filter { !visible.contains($0.personId) }.count
        guard hidden > 0 else { return self }
        // Rule 11's first line is the figure; each further line is a participant who does not count.
        let keep = [true] + participants.filter { !$0.counts }.map { visible.contains($0.personId) }
        var named = self
        named.rules = rules.map { result in
            guard result.rule == Self.countedRule else { return result }
            var result = result
            result.evidence = zip(result.evidence, keep).filter(\.1).map(\.0)
            result.findings = zip(result.findings, keep).filter(\.1).map(\.0)
            return result
        }
        named.participants = participants.filter { visible.contains($0.personId) }
        named.otherParticipants = hidden
        return named
    }

    /// Rule 11 for one participant, over the meetings in order.
    static func count(_ person: CircleRecord.Participant, meetings: [CircleRecord.MeetingFacts], settings s: EducationSettings) -> Counted {
        let attendedMeetings = meetings.filter { $0.present.contains(person.id) }
        let attended = attendedMeetings.count
        var reason: (String, Wording)?
        if attended < s.minMeetingsAttended {
            reason = (
                "present at \(attended) meetings; \(s.minMeetingsAttended) needed",
                Wording("fewMeetings", ["attended": "\(attended)", "needed": "\(s.minMeetingsAttended)"])
            )
        } else if !meetings.prefix(s.firstMeetings).contains(where: { $0.present.contains(person.id) }) {
            reason = (
                "not present at any of the first \(s.firstMeetings) meetings",
                Wording("missedStart", ["first": "\(s.firstMeetings)"])
            )
        } else if let birthYear = person.birthYear {
            // 13 or older, or turning 13, in the calendar year of the meeting (rule 11 as
            // corrected): a meeting of a year in which the person turns 12 or less is not one they
            // count at, so the meetings of the years they are old enough must meet the rule alone.
            let oldEnough = { (meeting: CircleRecord.MeetingFacts) in meeting.day.year - birthYear >= s.minAge }
            let counting = attendedMeetings.filter(oldEnough)
            let startsOldEnough = meetings.prefix(s.firstMeetings).contains { $0.present.contains(person.id) && oldEnough($0) }
            if counting.count < s.minMeetingsAttended || !startsOldEnough, let young = attendedMeetings.first(where: { !oldEnough($0) }) {
                let (age, year) = (young.day.year - birthYear, young.day.year)
                reason = (
                    "turns \(age) in \(year), so the meetings of \(year) do not count; \(s.minAge) needed",
                    Wording("tooYoung", ["age": "\(age)", "year": "\(year)", "minAge": "\(s.minAge)"])
                )
            }
        } else {
            // No birth year at all (no identity number, none given at the enrolment): not counted,
            // and said so on the rule check rather than dropped.
            reason = ("age unknown (no birth year)", Wording("ageUnknown"))
        }
        return Counted(
            personId: person.id,
            name: person.name,
            gender: person.gender,
            meetingsAttended: attended,
            counts: reason == nil,
            reason: reason?.0,
            reasonWording: reason?.1
        )
    }
}

extension LocalDate {
    /// The Monday of the calendar (ISO) week the day is in.
    var weekMonday: LocalDate {
        // 1970-01-01 was a Thursday: three days after a Monday.
        let days = daysSinceEpoch
        return LocalDate(daysSinceEpoch: days - ((days % 7 + 7 + 3) % 7))
    }
}
