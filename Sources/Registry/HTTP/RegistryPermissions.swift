public import PluginKit

/// The registry's permissions. Every role reads (a supervisor only within its reach); officers
/// and the roles that register people in their work write; only an admin erases. A feature's
/// role that needs them holds them in its `roles.json` (the ESF coordinator does).
public enum RegistryPermissions {
    /// Read organisations.
    public static let organisationRead = Permission(
        "registry.organisation.read",
        summary: "Read organisations (a supervisor: those its organisation is assigned to)",
        grantedTo: [.officer, .supervisor, .auditor]
    )
    /// Register and change organisations and their state.
    public static let organisationWrite = Permission(
        "registry.organisation.write",
        summary: "Register organisations, change them and their state",
        grantedTo: [.officer]
    )
    /// Read people (identity numbers masked) and their roles.
    public static let personRead = Permission(
        "registry.person.read",
        summary: "Read people and roles, identity numbers masked (a supervisor: within reach)",
        grantedTo: [.officer, .supervisor, .auditor]
    )
    /// Register and change people and their roles.
    public static let personWrite = Permission(
        "registry.person.write",
        summary: "Register people, change them, give and end roles (a supervisor: within reach)",
        grantedTo: [.officer, .supervisor]
    )
    /// Enter what the municipality spent on its own unit in a year (the reports' where the money went).
    public static let unitCostWrite = Permission(
        "registry.unitCost.write",
        summary: "Enter the yearly cost of the municipality's own unit",
        grantedTo: [.officer]
    )
    /// Erase a person's identifying data.
    public static let personErase = Permission(
        "registry.person.erase",
        summary: "Erase a person's identifying data (replace it with a pseudonym)",
        grantedTo: []
    )

    /// Every registry permission.
    public static let all = [organisationRead, organisationWrite, unitCostWrite, personRead, personWrite, personErase]
}
