import DataAccess
import Foundation

/// A meeting of a circle: when it starts and how long it lasts, and who was there.
struct Meeting: Sendable, Hashable, Codable {
    let id: Int
    var circleId: Int
    /// Local time, `YYYY-MM-DDTHH:MM`.
    var startsAt: String
    var minutes: Int
    /// Whole study hours, computed from the minutes (rule 6).
    var studyHours: Int
    /// The people recorded present (the leader is present at every meeting and not listed).
    var presentIds: [Int]
    var absentIds: [Int]

    /// The calendar day of the meeting (`startsAt` comes from PostgreSQL's `to_char`, so it
    /// always starts with one; the epoch only stands in should it ever not).
    var day: LocalDate { LocalDate(String(startsAt.prefix(10))) ?? LocalDate(daysSinceEpoch: 0) }
}

/// A meeting to record.
struct MeetingDraft: Sendable, Hashable, Codable {
    /// Local time `YYYY-MM-DDTHH:MM`.
    var startsAt: String
    var minutes: Int
}

/// Who was there: the enrolled people present; everyone else enrolled is recorded absent.
struct AttendanceDraft: Sendable, Hashable, Codable {
    var presentIds: [Int]
}

/// A person to enrol in a circle.
struct EnrolmentDraft: Sendable, Hashable, Codable {
    var personId: Int
    var on: LocalDate?
    /// The year of birth of a person the registry has none for (a protected identity, no
    /// identity number): what rule 11 counts by. Refused for a person with an identity number.
    var birthYear: Int?

    init(personId: Int, on: LocalDate? = nil, birthYear: Int? = nil) {
        (self.personId, self.on, self.birthYear) = (personId, on, birthYear)
    }
}

/// A person whose participation in a circle ends, from a day (default today).
struct WithdrawalDraft: Sendable, Hashable, Codable {
    var personId: Int
    var on: LocalDate?
}

/// The people enrolled in a circle, by id (`{"personIds": […]}`).
struct Enrolments: Sendable, Hashable, Codable {
    var personIds: [Int]
}
