/// What a person is to an organisation.
public enum RoleKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A member-owner working in a cooperative.
    case cooperator
    /// A supervisor (handledare) of the organisation.
    case supervisor
    /// The leader of a study circle.
    case circleLeader
    /// A participant (of a circle, a project).
    case participant
    /// The organisation's contact person.
    case contact
}
