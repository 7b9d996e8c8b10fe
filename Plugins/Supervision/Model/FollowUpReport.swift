import DataAccess
import Foundation

/// The follow-up of supervision: hours per cooperative against the agreed target for a period,
/// cooperatives without a session for too long, and review dates and pot ends coming up or
/// overdue.
struct FollowUpReport: Sendable, Hashable, Codable {
    var period: Period
    var asOf: LocalDate
    var inactivityDays: Int
    var reminderDays: Int
    var hours: [CooperativeHours]
    var inactive: [InactiveCooperative]
    var due: [DueItem]
}

/// A cooperative's supervision hours in a period against the target of its assignments.
struct CooperativeHours: Sendable, Hashable, Codable {
    var cooperativeId: Int
    var cooperativeName: String
    var sessions: Int
    var hours: Decimal
    /// The assignments' monthly targets over the days of the period they were in force.
    var targetHours: Decimal?
    /// `hours / targetHours` in percent, rounded.
    var percentOfTarget: Int?
}

/// A cooperative under supervision with no session for at least the inactivity limit.
struct InactiveCooperative: Sendable, Hashable, Codable {
    var cooperativeId: Int
    var cooperativeName: String
    /// The last session; `nil` when there never was one.
    var lastSessionOn: LocalDate?
    /// Days since the last session, or since the first assignment in force began.
    var days: Int
}

/// A date that needs attention: an assignment's or a pot's review, or a pot's end.
struct DueItem: Sendable, Hashable, Codable {
    enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case assignmentReview
        case potReview
        case potEnd
    }

    var kind: Kind
    /// The assignment's or the pot's id.
    var subjectId: Int
    var cooperativeId: Int
    var cooperativeName: String
    var on: LocalDate
    /// Negative when overdue.
    var daysLeft: Int
    var overdue: Bool
}

/// A reminder the daily job raised.
struct Reminder: Sendable, Hashable, Codable {
    var id: Int
    var kind: String
    var subjectId: Int
    var cooperativeId: Int
    var due: LocalDate
    var overdue: Bool
    var message: String
    var raisedOn: LocalDate
}
