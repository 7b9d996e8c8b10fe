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

    /// Creates a principal; the host does this from a bearer token.
    public init(userID: Int, name: String, role: Role, organisationID: Int?) {
        self.userID = userID
        self.name = name
        self.role = role
        self.organisationID = organisationID
    }

    /// Whether the principal holds `permission`.
    public func holds(_ permission: Permission) -> Bool { permission.isGranted(to: role) }
}
