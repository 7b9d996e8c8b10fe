import ArgumentParser
import CSVKit
import DataAccess
import FeatureSupport
import PluginKit
import Registry

/// `kooperator partnerships follow-up`.
struct FollowUpCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow-up",
        abstract: "Review dates, ends and report dates due within the configured days or overdue, and flagged agreements"
    )
    @Option(help: "The day the follow-up is for (default today)") var asOf: LocalDate?
    @Option(help: "table, json or csv") var format: OutputFormat = .table

    func run(context: FeatureContext) async throws {
        let store = try PartnershipStore(context: context)
        let day = asOf ?? .today()
        let report = try await store.database.withConnection { db in try store.followUp(asOf: day, reach: .everything, in: db) }
        switch format {
        case .json: try CommandOutput.printJSON(report)
        case .csv: print(PartnershipCSV.followUp(report).text, terminator: "")
        case .table:
            var table = TextTable("WHAT", "ID", "KIND", "TITLE", "DATE", "DAYS LEFT")
            for row in report.due {
                table.add(row.kind.rawValue, String(row.agreementId), row.agreementKind.rawValue, row.title, row.on.description, String(row.daysLeft))
            }
            print("Due within \(report.reminderDays) days of \(day), or overdue:\n\(table.rendered)")
        }
    }
}
