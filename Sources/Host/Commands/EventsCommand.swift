import ArgumentParser
import DataAccess
import FeatureSupport
import Foundation
import PluginKit

/// `kooperator events`: deliveries still pending and those that failed for good.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Show pending and failed event deliveries."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "At most this many rows.")
    var limit = 100

    func run() async throws {
        try await HostRuntime.withMigrated(options) { runtime in
            let rows = try await runtime.database.query(
                """
                SELECT o.id, o.name, coalesce(d.subscriber, '(not fanned out)') AS subscriber, coalesce(d.state, 'new') AS state,
                       coalesce(d.attempts, 0) AS attempts, d.next_attempt_at, d.last_error
                FROM kernel.outbox o LEFT JOIN kernel.event_deliveries d ON d.event_id = o.id
                WHERE (d.state IS NULL AND NOT o.fanned_out) OR d.state IN ('pending', 'failed')
                ORDER BY o.id, d.subscriber
                LIMIT \(limit)
                """
            )
            guard !rows.isEmpty else {
                print("No pending or failed deliveries.")
                return
            }
            var table = TextTable("EVENT", "NAME", "SUBSCRIBER", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR")
            for row in rows {
                let next: Date? = try row.decode("next_attempt_at")
                table.add(
                    "\(try row.decode("id", as: Int.self))",
                    try row.decode("name"),
                    try row.decode("subscriber"),
                    try row.decode("state"),
                    "\(try row.decode("attempts", as: Int.self))",
                    next.map { "\($0)" } ?? "-",
                    (try row.decode("last_error", as: String?.self)).map { String($0.prefix(80)) } ?? "-"
                )
            }
            print(table.rendered)
        }
    }
}
