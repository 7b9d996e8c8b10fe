import DataAccess

/// What an agreement is: an idea-based public partnership, an association grant
/// (föreningsbidrag), a framework agreement with the social economy (överenskommelse), or a
/// contract under which an organisation supervises cooperatives.
enum AgreementKind: String, Sendable, Hashable, Codable, CaseIterable {
    case iop
    case associationGrant
    case frameworkAgreement
    case supervisionContract

    /// Whether it follows the grant lifecycle (applied → … → approved | repaid) rather than the
    /// agreement lifecycle (draft → … → renewed | terminated | expired).
    var isGrant: Bool { self == .associationGrant }

    /// The state a new record starts in.
    var initialState: AgreementState { isGrant ? .applied : .draft }
}

extension AgreementKind: SQLEncodable, SQLDecodable {}
