public import PluginKit

/// A user of the installation as a feature may know them: who they are, their role and the
/// organisation they work for, and whether they may still sign in. Features name a user as
/// responsible for a record (``StaffDirectory``); the host keeps the users.
public struct StaffMember: Sendable, Hashable {
    /// The user's id in the kernel.
    public let id: Int
    /// The login name (`demo-officer`).
    public let name: String
    /// The name shown in pages (`Anna Handläggare`).
    public let displayName: String
    /// The role (`officer`, `supervisor`, `coordinator`, …).
    public let role: Role
    /// The organisation a user of a scoped role works for.
    public let organisationId: Int?
    /// Whether the user is active (not disabled).
    public let active: Bool

    /// Creates a member.
    ///
    /// - Parameters:
    ///   - id: The user's id.
    ///   - name: The login name.
    ///   - displayName: The name shown in pages.
    ///   - role: The role.
    ///   - organisationId: The organisation a scoped user works for.
    ///   - active: Whether the user is active.
    public init(id: Int, name: String, displayName: String, role: Role, organisationId: Int?, active: Bool) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.role = role
        self.organisationId = organisationId
        self.active = active
    }
}
