import ArgumentParser

/// The root command: `kooperator <command>`. Feature groups (`kooperator <feature> …`) are
/// dispatched by ``HostCLI`` before this parser runs, because they exist only when enabled.
struct Kooperator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kooperator",
        abstract: "Kooperator: the case system for supporting social enterprises.",
        discussion: """
            Each enabled feature adds its own command group: `kooperator <feature id> --help`.
            `kooperator features` lists the features.
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, FeaturesCommand.self, ConfigCommand.self, DatabaseCommand.self, EventsCommand.self,
            UsersCommand.self, TokensCommand.self, AuditCommand.self, DemoCommand.self,
        ]
    )
}
