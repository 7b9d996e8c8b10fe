public import DataAccess

/// A role to give a person in an organisation.
public struct RoleAssignment: Sendable, Codable, Hashable {
    /// The organisation.
    public var organisationId: Int
    /// What the person is to it.
    public var role: RoleKind
    /// The first day.
    public var from: LocalDate
    /// The last day, if known.
    public var to: LocalDate?

    /// Creates an assignment.
    public init(organisationId: Int, role: RoleKind, from: LocalDate, to: LocalDate? = nil) {
        self.organisationId = organisationId
        self.role = role
        self.from = from
        self.to = to
    }
}

/// A new role of an existing person.
public struct RoleDraft: Sendable, Codable, Hashable {
    /// The person.
    public var personId: Int
    /// The organisation.
    public var organisationId: Int
    /// What the person is to it.
    public var role: RoleKind
    /// The first day.
    public var from: LocalDate
    /// The last day, if known.
    public var to: LocalDate?

    /// Creates a draft.
    public init(personId: Int, organisationId: Int, role: RoleKind, from: LocalDate, to: LocalDate? = nil) {
        self.personId = personId
        self.organisationId = organisationId
        self.role = role
        self.from = from
        self.to = to
    }
}

/// The end of a role (`POST roles/{id}/end`).
struct RoleEnd: Sendable, Hashable, Codable {
    /// The role's last day; not before its first.
    var on: LocalDate
}
