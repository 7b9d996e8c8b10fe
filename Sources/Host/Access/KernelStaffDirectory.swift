import DataAccess
import FeatureSupport
import PluginKit

/// The host's ``StaffDirectory``: the features' view of `kernel.users`, read in the caller's own
/// transaction so a check and the write it guards see the same users.
struct KernelStaffDirectory: StaffDirectory {
    func members(_ ids: [Int], in executor: any SQLExecutor) throws -> [StaffMember] {
        guard !ids.isEmpty else { return [] }
        return try executor.query(
            """
            SELECT id, name, display_name, role, organisation_id, disabled_at IS NULL AS active
            FROM kernel.users WHERE id = ANY(\(ids)) ORDER BY id
            """
        ).map(Self.member)
    }

    func member(named name: String, in executor: any SQLExecutor) throws -> StaffMember? {
        try executor.queryFirst(
            """
            SELECT id, name, display_name, role, organisation_id, disabled_at IS NULL AS active
            FROM kernel.users WHERE name = \(name)
            """
        ).map(Self.member)
    }

    private static func member(_ row: Row) throws -> StaffMember {
        StaffMember(
            id: try row.decode("id"),
            name: try row.decode("name"),
            displayName: try row.decode("display_name"),
            role: Role(rawValue: try row.decode("role")),
            organisationId: try row.decode("organisation_id"),
            active: try row.decode("active")
        )
    }
}
