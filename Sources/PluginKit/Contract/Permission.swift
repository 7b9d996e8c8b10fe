/// An action a feature guards, such as `supervision.session.write`. Roles grant permissions.
public struct Permission: Sendable, Hashable, CustomStringConvertible {
    /// `<feature>.<entity>.<action>`.
    public let id: String
    /// What holding it allows, for `kooperator features` and the role reference.
    public let summary: String

    /// Declares a permission.
    public init(_ id: String, summary: String) {
        self.id = id
        self.summary = summary
    }

    public var description: String { id }
}
