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

/// A grant's follow-up report, as submitted: what it says and the amount of the grant used.
struct GrantReport: Sendable, Hashable, Codable {
    var id: Int?
    var submittedOn: LocalDate
    var summary: String
    /// The amount of the grant the grantee used (reports before it was asked state none).
    var usedAmount: Decimal?

    init(id: Int? = nil, submittedOn: LocalDate, summary: String, usedAmount: Decimal? = nil) {
        (self.id, self.submittedOn, self.summary, self.usedAmount) = (id, submittedOn, summary, usedAmount)
    }
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
    /// The amount used, as the latest report stating one says.
    var used: Decimal?
    /// Granted − used, once a report states the amount used.
    var unused: Decimal?
    /// The repayment claim the unused money calls for (rule 20): the unused money that was paid
    /// out (paid − used, at most the unused), less what is claimed already; absent when nothing is.
    var proposedRepayment: Decimal?
}

extension GrantAccount {
    /// The use of the grant from its reports and claims: ``used``, ``unused`` and ``proposedRepayment``.
    mutating func settleUse(granted: Decimal?) {
        guard let used = reports.last(where: { $0.usedAmount != nil })?.usedAmount else { return }
        self.used = used
        let unused = (granted ?? paid) - used
        self.unused = unused
        let claimed = claims.reduce(Decimal(0)) { $0 + $1.amount }
        let proposal = min(unused, paid - used) - claimed
        proposedRepayment = proposal > 0 ? proposal : nil
    }
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
