public import PluginKit

extension Role {
    /// ESF project staff (the ESF project's `roles.json`), who also read the registry and the
    /// partnership agreements and register people.
    public static let coordinator = Role(rawValue: "coordinator")
}
