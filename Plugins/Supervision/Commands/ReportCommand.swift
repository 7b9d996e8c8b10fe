import ArgumentParser
import CSVKit
import DataAccess
import FeatureSupport
import PluginKit
import Registry

/// `kooperator supervision report`.
struct ReportCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Follow-up: hours against target, inactive cooperatives, reviews and pot ends due"
    )
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }
    @Option(help: "The period: YYYY, YYYY-Qn or YYYY-MM (default: the month of --as-of)") var period: String?
    @Option(help: "The day the report is for (default today)") var asOf: LocalDate?
    @Option(help: "table, json or csv") var format: Format = .table
    @Option(help: "With --format csv: hours, inactive or due") var part: String = "hours"

    func run(context: FeatureContext) async throws {
        let store = try SupervisionStore(context: context)
        let day = asOf ?? .today()
        let period = try period.map { text throws(FeatureError) in try Period(parsing: text, field: "--period") } ?? Period.month(of: day)
        let report = try await store.database.withConnection { db in try store.followUp(period: period, asOf: day, reach: .everything, in: db) }
        switch format {
        case .json:
            try CommandOutput.printJSON(report)
        case .csv:
            guard let section = FollowUpCSV.Part(rawValue: part) else { throw ValidationError("--part must be hours, inactive or due") }
            print(FollowUpCSV.csv(section, of: report).text, terminator: "")
        case .table:
            var hours = TextTable("COOPERATIVE", "SESSIONS", "HOURS", "TARGET", "%")
            for row in report.hours {
                hours.add(
                    row.cooperativeName,
                    String(row.sessions),
                    "\(row.hours)",
                    row.targetHours.map { "\($0)" } ?? "-",
                    row.percentOfTarget.map(String.init) ?? "-"
                )
            }
            print("Hours in \(period.label):\n\(hours.rendered)\n")
            var inactive = TextTable("COOPERATIVE", "LAST SESSION", "DAYS")
            for row in report.inactive { inactive.add(row.cooperativeName, row.lastSessionOn?.description ?? "never", String(row.days)) }
            print("No session in \(report.inactivityDays) days or more (as of \(day)):\n\(inactive.rendered)\n")
            var due = TextTable("WHAT", "ID", "COOPERATIVE", "DATE", "DAYS LEFT")
            for row in report.due { due.add(row.kind.rawValue, String(row.subjectId), row.cooperativeName, row.on.description, String(row.daysLeft)) }
            print("Due within \(report.reminderDays) days, or overdue:\n\(due.rendered)")
        }
    }
}
