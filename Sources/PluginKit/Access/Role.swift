public import DataAccess

/// What a user is in the organisation: an id that the database holds as a row of
/// `kernel.roles`, with its names and what it holds.
///
/// Roles are data. A feature contributes its roles in a roles document
/// (``FeaturePlugin/rolesDocument``): each role's id, its names in Swedish and English, whether
/// it is scoped to the organisations its provider is assigned to, and the permissions of other
/// features it holds. A feature grants its own permissions to roles by id
/// (``Permission/init(_:summary:grantedTo:)``). The host keeps the kernel's two roles here:
/// ``admin`` runs the system, ``auditor`` reads the audit log; the registry adds `officer` and
/// `supervisor`, the ESF project `coordinator`.
public struct Role: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The role's id (`officer`), as in `kernel.roles` and `kooperator users add --role`.
    public let rawValue: String

    /// The role with this id; whether the installation has it is for the host to say.
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    /// Runs the system; holds every permission except those declared `onlyTo` other roles.
    public static let admin = Role(rawValue: "admin")
    /// Reads everything it is granted, writes nothing; reads the audit log.
    public static let auditor = Role(rawValue: "auditor")
}

extension Role: SQLEncodable, SQLDecodable {}
