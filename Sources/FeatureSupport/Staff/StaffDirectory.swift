public import DataAccess
public import PluginKit

/// The installation's users, as the features may read them: the kernel keeps them in a schema
/// no feature reads, so the host provides this service (`context.staff`) and a feature asks it,
/// inside its own transaction, who a user is: to check the user a record names as responsible
/// (the caseworker of a grant, the supervisor of an assignment, the coordinator of a project),
/// to show their name, and to name the caller by default.
///
/// ```swift
/// let caseworker = try staff.responsible(draft.caseworkerUserId, role: .officer, field: "/caseworkerUserId", in: tx)
///     ?? staff.caller(actor, ifRole: .officer, in: tx)
/// ```
public protocol StaffDirectory: Sendable {
    /// The users with `ids`, active or not; an unknown id is left out.
    ///
    /// - Throws: ``DatabaseError``.
    func members(_ ids: [Int], in executor: any SQLExecutor) throws -> [StaffMember]

    /// The user with the login `name`, active or not.
    ///
    /// - Throws: ``DatabaseError``.
    func member(named name: String, in executor: any SQLExecutor) throws -> StaffMember?
}

/// The kernel service key of ``StaffDirectory``.
enum StaffDirectoryKey: KernelServiceKey {
    typealias Value = any StaffDirectory
}

extension FeatureContext {
    /// The installation's users, as features may know them.
    ///
    /// - Throws: ``KernelServices/Missing`` when the host did not provide them (a wiring error).
    public var staff: any StaffDirectory { get throws(KernelServices.Missing) { try kernel.service(StaffDirectoryKey.self) } }
}

extension KernelServices {
    /// Provides the users to every feature (the host calls this once).
    public mutating func provide(_ staff: any StaffDirectory) { self[StaffDirectoryKey.self] = staff }
}
