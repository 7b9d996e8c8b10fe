import ArgumentParser
import DataAccess
import Foundation
import PluginKit

/// `kooperator esf import FILE --project ID`.
struct ImportCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import participants or jobs (told by the header) from CSV: all rows or none",
        discussion: """
            Participants: identity_number, name, gender, from, entry_status[, to, education_level, homeless, \
            migrant_background, disability, other_disadvantaged, exit_results]. Jobs: identity_number, \
            employer_organisation_number, from, employment_form, share_percent[, to]. Every bad row is \
            printed with its line; then nothing is stored and the exit status is 1.
            """
    )

    @Argument(help: "The CSV file") var file: String
    @Option(help: "The project's id") var project: Int

    func run(context: FeatureContext) async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read \(file)")
        }
        let store = try ESFStore(context: context)
        let bytes = Array(data)
        let report = try await store.database.transaction { [today = LocalDate.today(), project] tx in
            try store.importCSV(bytes, project: project, today: today, actor: .commandLine, in: tx)
        }
        if report.alreadyImported {
            print("\(file) was imported before; nothing changed")
        } else {
            print(
                "\(report.rows) \(report.kind.rawValue) row(s): \(report.created) created, \(report.reentered) re-entered, "
                    + "\(report.unchanged) unchanged, \(report.peopleRegistered) people registered"
            )
        }
    }
}
