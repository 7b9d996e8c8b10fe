import DataAccess
import Foundation
import PluginKit

/// An agreement between registry organisations: its kind, parties, purpose, period, review
/// date, termination terms and, for an IOP, the recorded procurement / state-aid check; for an
/// association grant, the application, the decision and the report due date (rule 20).
struct Agreement: Sendable, Hashable, Codable {
    let id: Int
    var kind: AgreementKind
    /// The municipality's case number (diarienummer) of the agreement or grant, when recorded.
    var caseNumber: String?
    var title: String
    var purpose: String
    var state: AgreementState
    var from: LocalDate
    var to: LocalDate?
    var reviewOn: LocalDate?
    var terminationTerms: String?
    /// The party that took the initiative; an IOP is signed only when it is an idea-based one.
    var initiatedById: Int?
    /// What the procurement / state-aid check found (rule 19), and when it was recorded.
    var procurementCheck: String?
    var procurementCheckedOn: LocalDate?
    /// A grant's year, the amount applied for, and the decision.
    var grantYear: Int?
    var appliedAmount: Decimal?
    var grantedAmount: Decimal?
    var conditions: String?
    var decidedOn: LocalDate?
    /// When the grant's follow-up report is due: the decision's date, else 31 March of the year
    /// after the grant year (rule 20).
    var reportDueOn: LocalDate?
    /// A grant's payments made and repayments so far.
    var paidAmount: Decimal
    var repaidAmount: Decimal
    /// Set when a party was wound up while the agreement was in force.
    var flaggedForReview: Bool
    var flagReason: String?
    /// The caseworker user who answers for it and gets its reminders.
    var caseworkerUserId: Int?
    var parties: [Party]
    var contributions: [Contribution]
    var createdAt: Date
    var updatedAt: Date
}

/// A party to an agreement: a registry organisation on the public side (a public body) or the
/// idea-based side (everything else).
struct Party: Sendable, Hashable, Codable {
    enum Side: String, Sendable, Hashable, Codable, CaseIterable {
        case `public`
        case ideaBased
    }

    var organisationId: Int
    var side: Side
}

/// One party's contribution for a year: money, or in kind with a valuation and a description.
struct Contribution: Sendable, Hashable, Codable {
    enum Form: String, Sendable, Hashable, Codable, CaseIterable {
        case money
        case inKind
    }

    var id: Int?
    var organisationId: Int
    var year: Int
    var form: Form
    /// The money, or the valuation of what is given in kind (SEK).
    var amount: Decimal
    var description: String?
}

extension Contribution.Form: SQLEncodable, SQLDecodable {}
extension Party.Side: SQLEncodable, SQLDecodable {}

extension Agreement: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "kind": .string(kind.rawValue), "caseNumber": JSONValue(caseNumber), "title": .string(title), "purpose": .string(purpose),
            "state": .string(state.rawValue),
            "from": JSONValue(describing: from), "to": JSONValue(describing: to), "reviewOn": JSONValue(describing: reviewOn),
            "terminationTerms": JSONValue(terminationTerms), "initiatedById": JSONValue(initiatedById),
            "procurementCheck": JSONValue(procurementCheck),
            "grantYear": JSONValue(grantYear), "appliedAmount": JSONValue(describing: appliedAmount),
            "grantedAmount": JSONValue(describing: grantedAmount), "conditions": JSONValue(conditions),
            "reportDueOn": JSONValue(describing: reportDueOn), "flaggedForReview": .bool(flaggedForReview),
            "partyIds": .array(parties.map { .int($0.organisationId) }), "caseworkerUserId": JSONValue(caseworkerUserId),
        ]
    }
}

extension Agreement {
    /// The columns `Agreement(row:)` reads, from the alias `a`; parties and contributions as JSON.
    static let columns: SQL = """
        a.id, a.kind, a.case_number, a.title, a.purpose, a.state, a.from_date, a.to_date, a.review_on, a.termination_terms, a.initiated_by, a.procurement_check,
        a.procurement_checked_on, a.grant_year, a.applied_amount, a.granted_amount, a.conditions, a.decided_on, a.report_due_on,
        a.paid_amount, a.repaid_amount, a.flagged_for_review, a.flag_reason, a.caseworker_user_id, a.created_at, a.updated_at,
        (SELECT coalesce(jsonb_agg(jsonb_build_object('organisationId', p.organisation_id, 'side', p.side) ORDER BY p.organisation_id), '[]')
           FROM partnerships.parties p WHERE p.agreement_id = a.id) AS parties,
        (SELECT coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'organisationId', c.organisation_id, 'year', c.year, 'form', c.form,
                                                      'amount', c.amount, 'description', c.description) ORDER BY c.year, c.id), '[]')
           FROM partnerships.contributions c WHERE c.agreement_id = a.id) AS contributions
        """

    init(row: Row) throws {
        self.init(
            id: try row.decode("id"),
            kind: try row.decode("kind"),
            caseNumber: try row.decode("case_number"),
            title: try row.decode("title"),
            purpose: try row.decode("purpose"),
            state: try row.decode("state"),
            from: try row.decode("from_date"),
            to: try row.decode("to_date"),
            reviewOn: try row.decode("review_on"),
            terminationTerms: try row.decode("termination_terms"),
            initiatedById: try row.decode("initiated_by"),
            procurementCheck: try row.decode("procurement_check"),
            procurementCheckedOn: try row.decode("procurement_checked_on"),
            grantYear: try row.decode("grant_year"),
            appliedAmount: try row.decode("applied_amount"),
            grantedAmount: try row.decode("granted_amount"),
            conditions: try row.decode("conditions"),
            decidedOn: try row.decode("decided_on"),
            reportDueOn: try row.decode("report_due_on"),
            paidAmount: try row.decode("paid_amount"),
            repaidAmount: try row.decode("repaid_amount"),
            flaggedForReview: try row.decode("flagged_for_review"),
            flagReason: try row.decode("flag_reason"),
            caseworkerUserId: try row.decode("caseworker_user_id"),
            parties: try row.decode("parties", as: JSONB<[Party]>.self).value,
            contributions: try row.decode("contributions", as: JSONB<[Contribution]>.self).value,
            createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at")
        )
    }
}
