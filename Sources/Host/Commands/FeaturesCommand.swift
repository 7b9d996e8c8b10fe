import ArgumentParser
import DataAccess
import FeatureSupport
import PluginKit

/// `kooperator features`: every feature this host has, and how it stands.
struct FeaturesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "List the features: id, enabled, version, dependencies, applied and pending steps, health."
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await HostRuntime.with(options) { runtime in
            let statuses = try? await Migrator(database: runtime.database, logger: runtime.logger).status(of: runtime.features.allMigrationGroups)
            var table = TextTable("ID", "ENABLED", "VERSION", "DEPENDS ON", "APPLIED", "PENDING", "HEALTH")
            for feature in runtime.features.loaded {
                let status = statuses?.first { $0.feature == feature.id }
                let enabled = runtime.features.isEnabled(feature.id)
                let health = enabled ? await feature.plugin.health(context: runtime.context(for: feature.id)).description : "-"
                table.add(
                    feature.id,
                    enabled ? "yes" : "no",
                    feature.type.version,
                    feature.type.dependencies.isEmpty ? "-" : feature.type.dependencies.joined(separator: ","),
                    status.map { "\($0.applied.count)" } ?? "?",
                    status.map { "\($0.pending.count)" } ?? "?",
                    statuses == nil ? "database unavailable" : health
                )
            }
            print(table.rendered)
            if runtime.features.loaded.isEmpty { print("(this host was built without features)") }
        }
    }
}
