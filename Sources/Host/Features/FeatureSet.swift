import DataAccess
import PluginKit

/// The features this host was built with, which of them the configuration enables, and the
/// enabled ones created from their settings.
struct FeatureSet: Sendable {
    /// An enabled feature, created from its settings.
    struct Loaded: Sendable {
        let type: any FeaturePlugin.Type
        let plugin: any FeaturePlugin
        var id: String { type.id }
    }

    /// Every feature the host was built with, in dependency order.
    let available: [any FeaturePlugin.Type]
    /// Every feature created from its settings (enabled or not), in dependency order.
    let loaded: [Loaded]
    /// The enabled features, in dependency order (dependencies first).
    let enabled: [Loaded]

    /// Whether a feature is enabled.
    func isEnabled(_ id: String) -> Bool { enabled.contains { $0.id == id } }

    /// The available feature with this id.
    func available(_ id: String) -> (any FeaturePlugin.Type)? { available.first { $0.id == id } }

    /// The migration groups to apply: the kernel's, then each enabled feature's.
    var migrationGroups: [MigrationGroup] {
        [KernelSchema.group] + enabled.map(\.plugin.migrationGroup)
    }

    /// The migration groups of every feature, for reporting status of disabled ones too.
    var allMigrationGroups: [MigrationGroup] {
        [KernelSchema.group] + loaded.map(\.plugin.migrationGroup)
    }

    /// Reads `features.<id>.enabled` and each feature's settings, recording problems in `section`.
    init(section: ConfigSection, plugins given: [any FeaturePlugin.Type]) {
        let kernelIDs = Set(AvailablePlugins.kernel.map { $0.id })
        let plugins = AvailablePlugins.kernel + given.filter { !kernelIDs.contains($0.id) }
        let ordered = Self.dependencyOrder(plugins, section: section)
        self.available = ordered
        let known = Set(plugins.map { $0.id })
        for key in section.keys where !known.contains(key) {
            section.problem(
                key,
                "unknown feature id; this host has \(plugins.isEmpty ? "no features" : plugins.map { $0.id }.sorted().joined(separator: ", "))"
            )
        }
        var enabledIDs: Set<String> = []
        var sections: [String: ConfigSection] = [:]
        for type in ordered {
            let featureSection = section.section(type.id, ignoring: ["enabled"])
            sections[type.id] = featureSection
            if kernelIDs.contains(type.id) {
                if !featureSection.bool("enabled", default: true) {
                    featureSection.problem("enabled", "\(type.id) is part of the kernel and always on; remove this key")
                }
                enabledIDs.insert(type.id)
            } else if featureSection.bool("enabled", default: false) {
                enabledIDs.insert(type.id)
            }
        }
        var loaded: [Loaded] = []
        for type in ordered {
            guard let featureSection = sections[type.id] else { continue }
            for dependency in type.dependencies where !enabledIDs.contains(dependency) && enabledIDs.contains(type.id) {
                featureSection.problem(
                    "enabled",
                    known.contains(dependency)
                        ? "\(type.id) depends on \(dependency), which is disabled; enable features.\(dependency) too"
                        : "\(type.id) depends on \(dependency), which this host does not have"
                )
            }
            // Settings of disabled features are validated too, so a typo shows before enabling.
            do {
                let plugin = try type.init(settings: featureSection)
                loaded.append(Loaded(type: type, plugin: plugin))
            } catch {
                featureSection.problem("", "invalid settings: \(error)")
            }
            featureSection.reportUnreadKeys()
        }
        self.loaded = loaded
        self.enabled = loaded.filter { enabledIDs.contains($0.id) }
    }

    /// Orders features so dependencies come first; records a cycle as a problem.
    static func dependencyOrder(_ plugins: [any FeaturePlugin.Type], section: ConfigSection) -> [any FeaturePlugin.Type] {
        let byID = Dictionary(plugins.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var ordered: [any FeaturePlugin.Type] = []
        var done: Set<String> = []
        var visiting: [String] = []
        var reportedCycle = false
        func visit(_ id: String) {
            guard !done.contains(id), let type = byID[id] else { return }
            if let start = visiting.firstIndex(of: id) {
                if !reportedCycle {
                    section.problem(id, "dependency cycle: \((visiting[start...] + [id]).joined(separator: " → "))")
                    reportedCycle = true
                }
                return
            }
            visiting.append(id)
            for dependency in type.dependencies { visit(dependency) }
            visiting.removeLast()
            if !done.contains(id) {
                done.insert(id)
                ordered.append(type)
            }
        }
        for type in plugins { visit(type.id) }
        return ordered
    }
}
