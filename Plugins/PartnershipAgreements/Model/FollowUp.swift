import DataAccess
import Foundation

/// The follow-up of agreements on a day (rule 21): review dates, ends and grant report dates
/// within the configured number of days or overdue, and agreements flagged for review.
struct FollowUp: Sendable, Hashable, Codable {
    var asOf: LocalDate
    var reminderDays: Int
    var due: [DueDate]
}

/// A date that needs attention.
struct DueDate: Sendable, Hashable, Codable {
    enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case review
        case end
        case report
        case flagged
    }

    var kind: Kind
    var agreementId: Int
    var agreementKind: AgreementKind
    var title: String
    var on: LocalDate
    /// Negative when overdue.
    var daysLeft: Int
    var overdue: Bool
}

/// A reminder the daily job raised.
struct Reminder: Sendable, Hashable, Codable {
    var id: Int
    var kind: String
    var agreementId: Int
    var due: LocalDate
    var overdue: Bool
    var message: String
    var raisedOn: LocalDate
}

/// One line of the grant ledger: an organisation's grants of a year.
struct LedgerLine: Sendable, Hashable, Codable {
    var organisationId: Int
    var organisationName: String
    var year: Int
    var grants: Int
    var applied: Decimal
    var granted: Decimal
    var paid: Decimal
    var repaid: Decimal
    /// What is granted and not yet paid out.
    var remaining: Decimal

    init(organisationId: Int, organisationName: String, year: Int, grants: Int, applied: Decimal, granted: Decimal, paid: Decimal, repaid: Decimal) {
        (self.organisationId, self.organisationName, self.year, self.grants) = (organisationId, organisationName, year, grants)
        (self.applied, self.granted, self.paid, self.repaid) = (applied, granted, paid, repaid)
        remaining = max(granted - paid, 0)
    }
}

/// The totals of one kind of agreement in a year: agreements running in it, contributions
/// (money and in kind), and for grants the money applied for, granted, paid and repaid.
struct KindTotal: Sendable, Hashable, Codable {
    var kind: AgreementKind
    var year: Int
    var agreements: Int
    var money: Decimal
    var inKind: Decimal
    var applied: Decimal
    var granted: Decimal
    var paid: Decimal
    var repaid: Decimal
}
