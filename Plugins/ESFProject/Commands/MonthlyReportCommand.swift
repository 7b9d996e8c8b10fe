import ArgumentParser
import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import PluginKit

/// `kooperator esf monthly …`.
struct MonthlyReportCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "monthly",
        abstract: "Monthly participant reports: list, submit, reopen, export",
        subcommands: [List.self, Submit.self, Reopen.self, Export.self]
    )

    func run(context: FeatureContext) async throws { print(Self.helpMessage()) }

    static func month(_ text: String) throws -> LocalDate {
        guard let month = ProjectCalendar.month(text) else { throw ValidationError("'\(text)' is not \(ProjectCalendar.monthFormat)") }
        return month
    }

    struct List: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The months with state and due day")
        @Option(help: "The project's id") var project: Int

        func run(context: FeatureContext) async throws {
            let store = try ESFStore(context: context)
            let reports = try await store.database.withConnection { [project] db in
                try store.monthlyReports(ofProject: project, today: .today(), in: db)
            }
            var table = TextTable("month", "version", "state", "due", "started", "ended")
            for report in reports {
                table.add(row: [
                    report.month, "\(report.version)", report.state.rawValue + (report.overdue ? " (overdue)" : ""), report.dueOn.description,
                    "\(report.started)", "\(report.ended)",
                ])
            }
            print(table.rendered)
        }
    }

    struct Submit: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "submit", abstract: "Mark a month's report submitted")
        @Option(help: "The project's id") var project: Int
        @Argument(help: "The month, YYYY-MM") var month: String

        func run(context: FeatureContext) async throws {
            let store = try ESFStore(context: context)
            let day = try MonthlyReportCommand.month(month)
            let report = try await store.database.transaction { [project] tx in
                try store.submitMonth(day, project: project, today: .today(), actor: .commandLine, in: tx)
            }
            print("\(report.month) version \(report.version) submitted")
        }
    }

    struct Reopen: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Re-open a month and every later submitted month")
        @Option(help: "The project's id") var project: Int
        @Argument(help: "The month, YYYY-MM") var month: String
        @Option(help: "Why") var reason: String

        func run(context: FeatureContext) async throws {
            let store = try ESFStore(context: context)
            let day = try MonthlyReportCommand.month(month)
            let reopened = try await store.database.transaction { [project, reason] tx in
                try store.reopenMonths(from: day, project: project, reason: reason, actor: .commandLine, in: tx)
            }
            guard !reopened.isEmpty else { throw ValidationError("no report from \(month) on is submitted; nothing to re-open") }
            print("re-opened: \(reopened.joined(separator: ", "))")
        }
    }

    struct Export: FeatureCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "The month's participants as CSV with full identity numbers (the statistics agency's copy; audited)"
        )
        @Option(help: "The project's id") var project: Int
        @Argument(help: "The month, YYYY-MM") var month: String

        func run(context: FeatureContext) async throws {
            let store = try ESFStore(context: context)
            let day = try MonthlyReportCommand.month(month)
            let csv = try await store.database.transaction { [project] tx in
                try store.monthlyExport(ofProject: project, month: day, fullNumbers: true, special: true, actor: .commandLine, in: tx)
            }
            print(csv.text, terminator: "")
        }
    }
}
