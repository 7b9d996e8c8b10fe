import PluginKit

/// The permissions of the host's own routes.
enum KernelPermissions {
    /// Read the audit log.
    static let auditRead = Permission("kernel.audit.read", summary: "Read the audit log", grantedTo: [.auditor])

    static let all = [auditRead]
}
