/// The authenticated user of a request: who, with which role, and for a scoped role the
/// provider organisation whose assignments bound what it sees.
public struct Principal: Sendable, Hashable {
    /// The user's id in `kernel.users`.
    public let userID: Int
    /// The user's login name.
    public let name: String
    /// The user's role.
    public let role: Role
    /// The organisation the user works for (a registry organisation id); a supervisor's scope.
    public let organisationID: Int?
    /// Whether the role sees only what its organisation is assigned (a supervisor's role).
    public let isScoped: Bool
    /// The ids of the permissions the role holds: those granted to it by the enabled features
    /// and those its roles document says it holds.
    let permissions: Set<String>

    /// Creates a principal; the host does this from a bearer token or a session, with the
    /// role's scope and permissions from its roles.
    public init(userID: Int, name: String, role: Role, organisationID: Int?, isScoped: Bool, permissions: Set<String>) {
        self.userID = userID
        self.name = name
        self.role = role
        self.organisationID = organisationID
        self.isScoped = isScoped
        self.permissions = permissions
    }

    /// Whether the principal holds `permission`.
    public func holds(_ permission: Permission) -> Bool { permissions.contains(permission.id) }
}
