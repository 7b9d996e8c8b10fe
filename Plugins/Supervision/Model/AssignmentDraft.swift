import DataAccess
import Foundation

/// A new assignment, as the API and the CLI take it.
struct AssignmentDraft: Sendable, Hashable, Codable {
    var cooperativeId: Int
    var providerId: Int
    var supervisorId: Int
    var sharePercent: Decimal
    var from: LocalDate
    var to: LocalDate?
    var fundingSource: String
    var potId: Int?
    var reviewOn: LocalDate?
    var targetHoursPerMonth: Decimal?
    /// `proposed` (the default) or `active`.
    var state: AssignmentState?
    /// The case number (diarienummer) of the decision behind it.
    var caseNumber: String?
    /// The supervisor user (of the provider) who answers for it; nobody when absent.
    var supervisorUserId: Int?
}

/// A change of state: to `underReview`, `renewed` (with a new end and review date), `active`
/// or `ended` (on a day, with a reason).
struct AssignmentStateChange: Sendable, Hashable, Codable {
    var state: AssignmentState
    /// The day it happens; the last day for `ended` (today when absent).
    var on: LocalDate?
    var reason: String?
    /// A renewal's new last day.
    var to: LocalDate?
    /// A renewal's next review date.
    var reviewOn: LocalDate?
}

/// Who answers for an assignment: its supervisor user (of the provider), or nobody.
struct AssignmentResponsible: Sendable, Hashable, Codable {
    var supervisorUserId: Int?
}
