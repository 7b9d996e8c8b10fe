import DataAccess
import Foundation

/// A new agreement or grant application, as the API and the CLI take it.
struct AgreementDraft: Sendable, Hashable, Codable {
    var kind: AgreementKind
    /// The case number (diarienummer) the decision is registered under, e.g. `SN 2016/123`.
    var caseNumber: String? = nil
    var title: String
    var purpose: String
    /// The parties (registry organisations); an IOP needs a public body and an idea-based party,
    /// a grant a public grantor and one idea-based recipient.
    var partyIds: [Int]
    var from: LocalDate
    var to: LocalDate?
    var reviewOn: LocalDate?
    var terminationTerms: String?
    /// The party that took the initiative (one of `partyIds`); an IOP needs an idea-based one
    /// before it is signed (rule 19).
    var initiatedById: Int?
    /// An IOP's procurement / state-aid check, if already made.
    var procurementCheck: String?
    /// A grant's year (default: the year of `from`) and the amount applied for.
    var grantYear: Int?
    var appliedAmount: Decimal?
    var contributions: [ContributionDraft]?
    /// The caseworker user who answers for it; the caseworker recording it when absent.
    var caseworkerUserId: Int?
}

/// Who answers for an agreement or grant: its caseworker user, or nobody.
struct AgreementResponsible: Sendable, Hashable, Codable {
    var caseworkerUserId: Int?
}

/// A contribution as the input gives it.
struct ContributionDraft: Sendable, Hashable, Codable {
    var organisationId: Int
    var year: Int
    var form: Contribution.Form
    var amount: Decimal
    var description: String?
}

/// The body of `POST agreements/{id}/procurement-check`: what the procurement / state-aid check
/// found (rule 19).
struct ProcurementCheck: Sendable, Hashable, Codable {
    var finding: String
    var on: LocalDate?
}

/// A change of state, with the day and a comment; a grant decision carries the amount granted,
/// its conditions and an optional own report due date; a repayment claim its amount and reason;
/// a repayment the amount repaid; a renewal a new end and review date.
struct AgreementStateChange: Sendable, Hashable, Codable {
    var state: AgreementState
    /// The day it happens (today when absent).
    var on: LocalDate?
    var comment: String?
    var grantedAmount: Decimal?
    var conditions: String?
    var reportDueOn: LocalDate?
    var amount: Decimal?
    var reason: String?
    /// A renewal's new last day and next review date.
    var to: LocalDate?
    var reviewOn: LocalDate?
}

/// One recorded change of state: who, when and why.
struct Transition: Sendable, Hashable, Codable {
    var id: Int
    var from: AgreementState
    var to: AgreementState
    var on: LocalDate
    var comment: String?
    var actor: String
    var at: Date
}
