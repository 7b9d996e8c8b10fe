import PluginKit

/// The permissions of the host's own routes.
enum KernelPermissions {
    /// Read the audit log.
    static let auditRead = Permission("kernel.audit.read", summary: "Read the audit log", grantedTo: [.auditor])

    /// Add, change and disable users; set their passwords; issue and revoke their tokens.
    static let usersManage = Permission(
        "kernel.users.manage",
        summary: "Add, change and disable users, set their passwords, issue and revoke their tokens",
        grantedTo: [.admin]
    )

    static let all = [auditRead, usersManage]
}
