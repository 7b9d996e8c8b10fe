import ArgumentParser
import DataAccess
import FeatureSupport
import Foundation
import PluginKit

/// `kooperator audit`: the audit log, newest first.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log, newest first (identity numbers are masked in it).",
        discussion: "Example: kooperator audit --entity registry.person:12 --since 2026-01-01"
    )

    @OptionGroup var options: GlobalOptions
    @Option(help: "<feature>.<entity>[:<id>] or <entity>, e.g. registry.organisation:3") var entity: String?
    @Option(help: "Only this feature (registry, kernel, …)") var feature: String?
    @Option(help: "Only changes on or after this day (YYYY-MM-DD)") var since: LocalDate?
    @Option(help: "At most this many rows") var limit = 100
    @Flag(help: "Print JSON lines with the before/after values") var json = false

    func run() async throws {
        try await HostRuntime.withMigrated(options) { runtime in
            let entries = try await AuditLog(database: runtime.database).entries(
                AuditLog.Query(entity: entity, feature: feature, since: since, limit: max(1, limit))
            )
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .iso8601
                for entry in entries { print(String(decoding: try encoder.encode(entry), as: UTF8.self)) }
                return
            }
            var table = TextTable("ID", "AT", "ACTOR", "ENTITY", "ACTION", "CHANGED")
            for entry in entries {
                let changed = (entry.after ?? entry.before ?? [:]).keys.sorted().joined(separator: ",")
                table.add(
                    String(entry.id),
                    entry.at.formatted(.iso8601),
                    entry.actor,
                    "\(entry.feature).\(entry.entity):\(entry.entityId)",
                    entry.action,
                    changed
                )
            }
            print(table.rendered)
        }
    }
}
