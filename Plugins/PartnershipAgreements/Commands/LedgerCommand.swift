import ArgumentParser
import CSVKit
import DataAccess
import FeatureSupport
import PluginKit
import Registry

/// `kooperator partnerships ledger`.
struct LedgerCommand: FeatureCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The grant ledger per organisation and year (applied, granted, paid, repaid); --totals: per kind and year"
    )
    @Option(help: "Only this year") var year: Int?
    @Option(help: "Only this organisation") var organisation: Int?
    @Flag(help: "Totals per kind of agreement and year instead") var totals = false
    @Option(help: "table, json or csv") var format: OutputFormat = .table

    func run(context: FeatureContext) async throws {
        let store = try PartnershipStore(context: context)
        if totals {
            let rows = try await store.database.withConnection { [year] db in try store.totals(year: year, asOf: .today(), reach: .everything, in: db)
            }
            switch format {
            case .json: try CommandOutput.printJSON(rows)
            case .csv: print(PartnershipCSV.totals(rows).text, terminator: "")
            case .table:
                var table = TextTable("YEAR", "KIND", "AGREEMENTS", "MONEY", "IN KIND", "GRANTED", "PAID", "REPAID")
                for t in rows {
                    table.add(
                        String(t.year),
                        t.kind.rawValue,
                        String(t.agreements),
                        "\(t.money)",
                        "\(t.inKind)",
                        "\(t.granted)",
                        "\(t.paid)",
                        "\(t.repaid)"
                    )
                }
                print(table.rendered)
            }
            return
        }
        let lines = try await store.database.withConnection { [year, organisation] db in
            try store.ledger(year: year, organisationId: organisation, reach: .everything, in: db)
        }
        switch format {
        case .json: try CommandOutput.printJSON(lines)
        case .csv: print(PartnershipCSV.ledger(lines).text, terminator: "")
        case .table:
            var table = TextTable("YEAR", "ORGANISATION", "GRANTS", "APPLIED", "GRANTED", "PAID", "REPAID")
            for l in lines {
                table.add(String(l.year), l.organisationName, String(l.grants), "\(l.applied)", "\(l.granted)", "\(l.paid)", "\(l.repaid)")
            }
            print(table.rendered)
        }
    }
}
