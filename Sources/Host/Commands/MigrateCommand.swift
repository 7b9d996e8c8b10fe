import ArgumentParser
import DataAccess
import FeatureSupport
import PluginKit

/// `kooperator migrate`: applies pending steps, or shows where they stand.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migration steps of the kernel and every enabled feature, in dependency order."
    )

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Show applied and pending steps; apply nothing.")
    var status = false

    func run() async throws {
        try await HostRuntime.with(options) { runtime in
            if status {
                var table = TextTable("FEATURE", "STEP", "NAME", "STATE")
                for group in try await Migrator(database: runtime.database, logger: runtime.logger).status(of: runtime.features.migrationGroups) {
                    let changed = Set(group.changed.map(\.step))
                    for step in group.applied {
                        let state = "applied \(step.appliedAt) (\(step.durationMilliseconds) ms)"
                        table.add(group.feature, "\(step.step)", step.name, changed.contains(step.step) ? state + ", CHANGED since" : state)
                    }
                    for step in group.pending { table.add(group.feature, "\(step.step)", step.name, "pending") }
                }
                print(table.rendered)
            } else {
                let applied = try await runtime.migrate()
                if applied.isEmpty {
                    print("Everything is up to date.")
                } else {
                    for step in applied { print("applied \(step.feature) \(step.step) \(step.name) (\(step.durationMilliseconds) ms)") }
                }
            }
        }
    }
}
