import ArgumentParser
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
                print(
                    "database: \(configuration.host.database.url == nil ? "embedded PostgreSQL in \(configuration.host.database.embeddedDirectory)" : "external URL")"
                )
                print("features enabled: \(enabled.isEmpty ? "none" : enabled.joined(separator: ", "))")
            } catch let problems as ConfigProblems {
                print("\(options.config): \(problems.problems.count) problem\(problems.problems.count == 1 ? "" : "s")")
                for problem in problems.problems { print("  - \(problem)") }
                throw ExitCode(1)
            }
        }
    }
}
