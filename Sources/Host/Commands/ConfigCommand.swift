import ArgumentParser
import DataAccess
import PluginKit

/// `kooperator config …`.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Work with the configuration file.",
        subcommands: [Check.self]
    )

    /// `kooperator config check`: every problem with its key path; non-zero exit when any.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the configuration and list every problem with its key path."
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            do {
                let configuration = try options.load()
                let enabled = configuration.features.enabled.map(\.id)
                print("\(options.config): OK")
                let database = configuration.host.database
                if database.url == nil {
                    print(
                        "database: embedded PostgreSQL in \(database.embeddedDirectory) (serves as role \(EmbeddedCredentials.Role.server.rawValue), migrates as \(EmbeddedCredentials.Role.owner.rawValue))"
                    )
                } else if database.migrationURL == nil {
                    print("database: external URL; migrations run with database.url too (set database.migrationUrl to migrate as an owner role)")
                } else {
                    print("database: external URL; migrations run with database.migrationUrl")
                }
                print("features enabled: \(enabled.isEmpty ? "none" : enabled.joined(separator: ", "))")
            } catch let problems as ConfigProblems {
                print("\(options.config): \(problems.problems.count) problem\(problems.problems.count == 1 ? "" : "s")")
                for problem in problems.problems { print("  - \(problem)") }
                throw ExitCode(1)
            }
        }
    }
}
