/// An action a feature guards, such as `supervision.session.write`, and the roles granted it.
///
/// A feature lists its permissions in ``FeaturePlugin/permissions`` and checks one on every
/// route (``RouterMethods/on(_:method:requiring:use:)``). ``Role/admin`` holds every permission.
public struct Permission: Sendable, Hashable, CustomStringConvertible {
    /// `<feature>.<entity>.<action>`.
    public let id: String
    /// What holding it allows, for `kooperator users roles` and the role reference.
    public let summary: String
    /// The roles granted it (``Role/admin`` is always, whether listed or not).
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

    /// Whether `role` holds this permission.
    public func isGranted(to role: Role) -> Bool { roles.contains(role) }

    public var description: String { id }

    public static func == (lhs: Permission, rhs: Permission) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
