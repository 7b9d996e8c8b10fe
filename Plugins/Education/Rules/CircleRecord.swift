import DataAccess
import Registry

/// What the rules look at: a circle's meetings in order, who was present at each, and the
/// enrolled participants with what counting needs to know of them.
struct CircleRecord: Sendable, Hashable {
    struct MeetingFacts: Sendable, Hashable {
        var id: Int
        var startsAt: String
        var day: LocalDate
        var minutes: Int
        /// Enrolled participants present (the leader is present at every meeting, not listed).
        var present: Set<Int>
    }

    struct Participant: Sendable, Hashable {
        var id: Int
        var name: String
        var gender: Gender
        /// The year of birth: rule 11 needs no more (and an erased person keeps only it).
        var birthYear: Int?
    }

    var meetings: [MeetingFacts]
    /// In Swedish name order (Å, Ä, Ö after Z), as the rule check lists them.
    var participants: [Participant]
}
