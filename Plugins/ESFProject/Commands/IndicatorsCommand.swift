import ArgumentParser
import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import PluginKit

/// `kooperator esf indicators …`.
struct IndicatorsCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Indicator sets and the indicator report",
        subcommands: [Sets.self, Load.self, Report.self]
    )

    func run(context: FeatureContext) async throws { print(Self.helpMessage()) }

    struct Sets: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "sets", abstract: "List the loaded sets, or one set's definitions as JSON")
        @Argument(help: "A set's name") var set: String?

        func run(context: FeatureContext) async throws {
            let store = try ESFStore(context: context)
            if let set {
                try CommandOutput.printJSON(try await store.database.withConnection { db in try store.indicators(ofSet: set, in: db) })
            } else {
                for name in try await store.database.withConnection({ db in try store.indicatorSets(in: db) }) { print(name) }
            }
        }
    }

    struct Load: FeatureCommand {
        static let configuration = CommandConfiguration(
            commandName: "load",
            abstract: "Load or replace a set from a JSON file (a list of definitions, as `sets NAME` prints them)"
        )
        @Argument(help: "The JSON file") var file: String
        @Option(help: "The set's name, e.g. 2021-2027") var set: String

        func run(context: FeatureContext) async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let definitions: [IndicatorDefinition]
            do {
                definitions = try JSONDecoder().decode([IndicatorDefinition].self, from: data)
            } catch {
                throw ValidationError("\(file) is not a list of indicator definitions: \(error)")
            }
            let store = try ESFStore(context: context)
            let loaded = try await store.database.transaction { [set] tx in try store.loadIndicatorSet(set, definitions, actor: .commandLine, in: tx)
            }
            print("set \(set): \(loaded.count) indicator(s) loaded")
        }
    }

    struct Report: FeatureCommand {
        static let configuration = CommandConfiguration(commandName: "report", abstract: "Every indicator of a project for a period, by gender")
        @Option(help: "The project's id") var project: Int
        @Option(help: "The first day") var from: LocalDate
        @Option(help: "The last day") var to: LocalDate
        @Option(help: "table, json or csv") var format: String = "table"

        func run(context: FeatureContext) async throws {
            let store = try ESFStore(context: context)
            let report = try await store.database.withConnection { [project, from, to] db in
                try store.indicatorReport(ofProject: project, from: from, to: to, special: true, in: db)
            }
            switch format {
            case "json": try CommandOutput.printJSON(report)
            case "csv": print(report.csv.text, terminator: "")
            case "table":
                var table = TextTable(["code", "name", "total", "women", "men", "other"])
                for line in report.indicators {
                    table.add(row: [line.code, line.name, "\(line.total ?? 0)", "\(line.women ?? 0)", "\(line.men ?? 0)", "\(line.other ?? 0)"])
                }
                print(table.rendered)
            default: throw ValidationError("--format is table, json or csv, not \(format)")
            }
        }
    }
}
