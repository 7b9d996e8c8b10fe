import ArgumentParser
import DataAccess
import FeatureSupport
import PluginKit

/// `kooperator supervision handover`: the spin-off in one step.
struct HandoverCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "handover",
        abstract: "Move every assignment in force of one provider to another from a day (all or nothing)"
    )
    @Option(name: .customLong("from"), help: "The provider handing over (registry organisation id)") var fromProvider: Int
    @Option(name: .customLong("to"), help: "The provider taking over") var toProvider: Int
    @Option(help: "The first day under the new provider (YYYY-MM-DD)") var on: LocalDate
    @Option(help: "The supervisor of every new assignment (default: each keeps its own)") var supervisor: Int?
    @Flag(help: "Show what would move; change nothing") var preview = false

    func run(context: FeatureContext) async throws {
        let store = try SupervisionStore(context: context)
        let request = HandoverRequest(fromProviderId: fromProvider, toProviderId: toProvider, on: on, supervisorId: supervisor, preview: preview)
        let summary = try await store.database.transaction { tx in try store.handover(request, actor: .commandLine, in: tx) }
        var table = TextTable("COOPERATIVE", "NAME", "ENDED", "NEW", "SUPERVISOR")
        for move in summary.moved {
            table.add(
                String(move.cooperativeId),
                move.cooperativeName,
                String(move.endedAssignmentId),
                move.newAssignmentId.map(String.init) ?? "-",
                String(move.supervisorId)
            )
        }
        print(table.rendered)
        let verb = summary.preview ? "would move" : "moved"
        print(
            "\(verb) \(summary.moved.count) assignment(s) from \(fromProvider) to \(toProvider) from \(on)\(summary.id.map { " (handover \($0))" } ?? "")"
        )
    }
}
