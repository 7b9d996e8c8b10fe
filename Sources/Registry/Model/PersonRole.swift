public import DataAccess
public import PluginKit

/// A person's role in an organisation over a period: a cooperator of a cooperative, the
/// supervisor of one, a circle leader, a participant, a contact.
public struct PersonRole: Sendable, Hashable, Codable {
    /// The role's id.
    public let id: Int
    /// The person.
    public let personId: Int
    /// The organisation.
    public let organisationId: Int
    /// What the person is to the organisation.
    public var role: RoleKind
    /// The first day.
    public var from: LocalDate
    /// The last day; `nil` while it lasts.
    public var to: LocalDate?

    /// Creates a role value (the registry does this from a row).
    public init(id: Int, personId: Int, organisationId: Int, role: RoleKind, from: LocalDate, to: LocalDate?) {
        self.id = id
        self.personId = personId
        self.organisationId = organisationId
        self.role = role
        self.from = from
        self.to = to
    }

    /// Whether the role holds on `date`.
    public func holds(on date: LocalDate) -> Bool { from <= date && (to.map { date <= $0 } ?? true) }
}

extension PersonRole: Auditable {
    /// Every field; ids only, no personal data.
    public var auditFields: [String: JSONValue] {
        [
            "personId": .int(personId),
            "organisationId": .int(organisationId),
            "role": .string(role.rawValue),
            "from": .string(from.description),
            "to": JSONValue(describing: to),
        ]
    }
}
