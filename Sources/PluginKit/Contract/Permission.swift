/// An action a feature guards, such as `supervision.session.write`, and the roles granted it.
///
/// A feature lists its permissions in ``FeaturePlugin/permissions``; the host checks one before
/// every generated API handler (the operation's `x-kooperator-permission`), and every page
/// names one (PageKit's `PageRouter.get(_:requiring:use:)`). ``Role/admin`` holds every permission
/// except those declared with ``init(_:summary:onlyTo:)``: reading data under secrecy (special
/// categories, full identity numbers) is for the roles whose work needs it, not for the one who
/// runs the system.
public struct Permission: Sendable, Hashable, CustomStringConvertible {
    /// `<feature>.<entity>.<action>`.
    public let id: String
    /// What holding it allows, for `kooperator users roles` and the role reference.
    public let summary: String
    /// The roles granted it (``Role/admin`` too, unless declared with ``init(_:summary:onlyTo:)``).
    public let roles: Set<Role>

    /// Declares a permission.
    ///
    /// - Parameters:
    ///   - id: `<feature>.<entity>.<action>`.
    ///   - summary: What holding it allows.
    ///   - roles: The roles granted it besides ``Role/admin``.
    public init(_ id: String, summary: String, grantedTo roles: Set<Role>) {
        self.id = id
        self.summary = summary
        self.roles = roles.union([.admin])
    }

    /// Declares a permission held by `roles` alone, not even by ``Role/admin``: for data under
    /// secrecy that only the staff whose work needs it may read (DOMAIN.md rule 23).
    ///
    /// - Parameters:
    ///   - id: `<feature>.<entity>.<action>`.
    ///   - summary: What holding it allows.
    ///   - roles: The only roles granted it.
    public init(_ id: String, summary: String, onlyTo roles: Set<Role>) {
        self.id = id
        self.summary = summary
        self.roles = roles
    }

    /// Whether `role` holds this permission (outside PluginKit: `roles.contains(role)`, or
    /// ``Principal/holds(_:)``).
    func isGranted(to role: Role) -> Bool { roles.contains(role) }

    public var description: String { id }
}
