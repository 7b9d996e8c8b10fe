import DataAccess

/// Where an agreement is in its life. Two lifecycles share the type (DOMAIN.md):
///
/// - agreements (IOP, framework agreement, supervision contract): draft → legalCheck → signed →
///   active → evaluated → renewed | terminated | expired; a renewed agreement is evaluated again.
/// - association grants: applied → inReview → granted | rejected → paid → reportDue → approved |
///   repaymentClaimed → repaid.
enum AgreementState: String, Sendable, Hashable, Codable, CaseIterable {
    case draft
    case legalCheck
    case signed
    case active
    case evaluated
    case renewed
    case terminated
    case expired
    case applied
    case inReview
    case granted
    case rejected
    case paid
    case reportDue
    case approved
    case repaymentClaimed
    case repaid

    /// The states a change may lead to from this one.
    var allowedNext: [AgreementState] {
        switch self {
        case .draft: [.legalCheck]
        case .legalCheck: [.signed]
        case .signed: [.active]
        case .active: [.evaluated]
        case .evaluated: [.renewed, .terminated, .expired]
        case .renewed: [.evaluated]
        case .applied: [.inReview]
        case .inReview: [.granted, .rejected]
        case .granted: [.paid]
        case .paid: [.reportDue]
        case .reportDue: [.approved, .repaymentClaimed]
        case .repaymentClaimed: [.repaid]
        case .terminated, .expired, .rejected, .approved, .repaid: []
        }
    }

    /// Whether the agreement has ended (published as `partnerships.agreementEnded`).
    var isEnded: Bool { allowedNext.isEmpty }

    /// Whether the agreement runs: the states whose review and end dates are followed up and
    /// which a wound-up party flags for review.
    var isInForce: Bool { Self.inForce.contains(self) }

    static let inForce: [AgreementState] = [.signed, .active, .evaluated, .renewed, .granted, .paid, .reportDue]

    /// The in-force states of the agreement lifecycle (not grants) as an SQL list: their review
    /// dates and ends are followed up.
    static let runningSQL: SQL = "('signed', 'active', 'evaluated', 'renewed')"

    /// The in-force states as an SQL list, for `state IN (…)`.
    static let inForceSQL: SQL = "('signed', 'active', 'evaluated', 'renewed', 'granted', 'paid', 'reportDue')"
}

extension AgreementState: SQLEncodable, SQLDecodable {}
