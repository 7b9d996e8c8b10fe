import ArgumentParser
import DataAccess
import FeatureSupport
import Foundation
import PluginKit

/// `kooperator esf reminders`.
struct DueReportsCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "reminders",
        abstract: "Monthly reports due within features.esf.reminderDays, or overdue"
    )
    @Option(help: "The day (default today)") var asOf: LocalDate?

    func run(context: FeatureContext) async throws {
        let store = try ESFStore(context: context)
        let reports = try await store.database.withConnection { [asOf = asOf ?? .today()] db in
            try store.reminders(today: asOf, projectId: nil, in: db)
        }
        for report in reports {
            print("project \(report.projectId) \(report.month): due \(report.dueOn)\(report.overdue ? " — overdue" : "")")
        }
        if reports.isEmpty { print("no monthly report is due") }
    }
}
