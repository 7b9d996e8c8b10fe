import PluginKit
import Registry

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

    /// Read the reports assembled from every feature's figures (a supervisor: its provider's reach).
    static let reportsRead = Permission(
        "kernel.reports.read",
        summary: "Read the reports: support per organisation, before and after, where the money went, a provider's year",
        grantedTo: [.officer, .auditor, .supervisor]
    )

    /// Read and change one's own settings (e-mail address, language, the reminder digest): held by
    /// every role (``RoleCatalogue/permissions(of:)``), the roles features add included.
    static let ownSettings = Permission(
        "kernel.settings.own",
        summary: "Read and change one's own settings: e-mail address, language, the daily reminder digest",
        grantedTo: []
    )

    static let all = [auditRead, usersManage, reportsRead, ownSettings]
}
