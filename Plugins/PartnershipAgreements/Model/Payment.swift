import DataAccess
import Foundation

/// A payment of a grant: planned for a day, and made when `paidOn` is set. Planned and made
/// together never exceed the amount granted.
struct Payment: Sendable, Hashable, Codable {
    var id: Int
    var agreementId: Int
    var amount: Decimal
    var plannedOn: LocalDate?
    var paidOn: LocalDate?
    var note: String?
}

/// A payment as the input gives it: made when `paidOn` is given, else planned for `plannedOn`.
struct PaymentDraft: Sendable, Hashable, Codable {
    var amount: Decimal
    var plannedOn: LocalDate?
    var paidOn: LocalDate?
    var note: String?
}

/// The body of `POST agreements/{id}/payments/{paymentId}/paid`.
struct PaymentMade: Sendable, Hashable, Codable {
    var paidOn: LocalDate
}

/// A grant's follow-up report, as submitted.
struct GrantReport: Sendable, Hashable, Codable {
    var id: Int?
    var submittedOn: LocalDate
    var summary: String
}

/// A claim to repay (part of) a grant, with the reason (rule 20), and the repayment.
struct RepaymentClaim: Sendable, Hashable, Codable {
    var id: Int
    var amount: Decimal
    var reason: String
    var claimedOn: LocalDate
    var repaidOn: LocalDate?
    var repaidAmount: Decimal?
}

/// A grant's money: the decision, the payments, the report and any repayment claim.
struct GrantAccount: Sendable, Hashable, Codable {
    var agreementId: Int
    var appliedAmount: Decimal?
    var grantedAmount: Decimal?
    var planned: Decimal
    var paid: Decimal
    var repaid: Decimal
    var payments: [Payment]
    var reports: [GrantReport]
    var claims: [RepaymentClaim]
}

extension Payment {
    static let columns: SQL = "pm.id, pm.agreement_id, pm.amount, pm.planned_on, pm.paid_on, pm.note"

    init(row: Row) throws {
        self.init(
            id: try row.decode("id"),
            agreementId: try row.decode("agreement_id"),
            amount: try row.decode("amount"),
            plannedOn: try row.decode("planned_on"),
            paidOn: try row.decode("paid_on"),
            note: try row.decode("note")
        )
    }
}
