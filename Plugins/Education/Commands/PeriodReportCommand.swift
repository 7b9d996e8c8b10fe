import ArgumentParser
import CSVKit
import DataAccess
import FeatureSupport
import PluginKit
import Registry

/// `kooperator education report --from DAY --to DAY`.
struct PeriodReportCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Per study association: circles, meetings, study hours and unique participants in a period"
    )
    @Option(help: "First day") var from: LocalDate
    @Option(help: "Last day") var to: LocalDate
    @Option(help: "Only this study association") var studyAssociation: Int?
    @Flag(help: "Print CSV") var csv = false

    func run(context: FeatureContext) async throws {
        guard to >= from else { throw ValidationError("--to (\(to)) is before --from (\(from))") }
        let store = try EducationStore(context: context)
        let rows = try await store.database.withConnection { db in
            try store.periodReport(from: from, to: to, studyAssociationId: studyAssociation, reach: .everything, in: db)
        }
        var table = TextTable("ASSOCIATION", "CIRCLES", "MEETINGS", "STUDY HOURS", "UNIQUE PARTICIPANTS")
        for row in rows {
            table.add(row.studyAssociation, String(row.circles), String(row.meetings), String(row.studyHours), String(row.uniqueParticipants))
        }
        if csv {
            var document = CSV("studyAssociation", "circles", "meetings", "studyHours", "uniqueParticipants")
            for row in rows {
                document.add(row.studyAssociation, String(row.circles), String(row.meetings), String(row.studyHours), String(row.uniqueParticipants))
            }
            print(document.text, terminator: "")
        } else {
            print(table.rendered)
        }
    }
}
