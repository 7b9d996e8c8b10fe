import ArgumentParser
import DataAccess
import FeatureSupport
import PluginKit
import Registry

/// `kooperator education check CIRCLE`: every grant rule with pass or fail and the evidence.
struct CheckCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a circle against the study associations' grant rules; exit 1 when one fails"
    )
    @Argument(help: "The circle's id") var id: Int
    @Flag(help: "Print JSON") var json = false

    func run(context: FeatureContext) async throws {
        let store = try EducationStore(context: context)
        let compliance = try await store.database.withConnection { db in try store.compliance(ofCircle: id, reach: .everything, in: db) }
        if json {
            try CommandOutput.printJSON(compliance)
        } else {
            var table = TextTable("RULE", "", "EVIDENCE")
            for rule in compliance.rules {
                table.add(rule.rule, rule.passed ? "pass" : "FAIL", rule.evidence.joined(separator: "; "))
            }
            print(table.rendered)
            print("\(compliance.meetings) meetings, \(compliance.studyHours) study hours, \(compliance.counted.count) participants count")
        }
        if !compliance.passed { throw ExitCode(1) }
    }
}
