public import PluginKit

extension Role {
    /// A caseworker at the municipal unit (the registry's `roles.json`).
    public static let officer = Role(rawValue: "officer")
    /// A supervisor at a provider organisation, scoped to the organisations it is assigned to
    /// (the registry's `roles.json`).
    public static let supervisor = Role(rawValue: "supervisor")
}
