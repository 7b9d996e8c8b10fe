public import DataAccess

/// What a user is in the organisation: each role is granted the permissions features declare
/// for it.
///
/// | role | who |
/// |---|---|
/// | ``admin`` | runs the system; holds every permission but those kept for the staff who need them (secrecy data) |
/// | ``officer`` | caseworker at the municipal unit |
/// | ``supervisor`` | supervisor at a provider organisation; sees only the organisations it is assigned to |
/// | ``coordinator`` | ESF project staff |
/// | ``auditor`` | reads, never writes; reads the audit log |
public enum Role: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Runs the system; holds every permission except those declared `onlyTo` other roles.
    case admin
    /// A caseworker at the municipal unit.
    case officer
    /// A supervisor at a provider organisation, scoped to the organisations it is assigned to.
    case supervisor
    /// ESF project staff.
    case coordinator
    /// Reads everything, writes nothing.
    case auditor

    public var description: String { rawValue }

    /// Whether the role sees only the organisations its provider organisation is assigned to.
    public var isScoped: Bool { self == .supervisor }
}

extension Role: SQLEncodable, SQLDecodable {}
