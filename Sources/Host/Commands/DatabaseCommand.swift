import ArgumentParser
import DataAccess

/// `kooperator db start|stop|status`: the embedded PostgreSQL cluster, by hand.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Start, stop or inspect the embedded PostgreSQL cluster.",
        subcommands: [Start.self, Stop.self, Status.self]
    )

    static func embedded(_ options: GlobalOptions) throws -> (EmbeddedPostgres, LoadedConfiguration) {
        let configuration = try options.load()
        guard configuration.host.database.url == nil else {
            throw CommandFailure("database.url is set, so the database is external; kooperator manages only its embedded cluster")
        }
        return (configuration.host.embeddedPostgres, configuration)
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create (first time) and start the embedded cluster.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            let (cluster, configuration) = try DatabaseCommand.embedded(options)
            try cluster.start(creating: [HostRuntime.embeddedDatabase], logger: options.logger(configuration))
            print(
                "embedded PostgreSQL \(cluster.status()) on \(cluster.location), database \(HostRuntime.embeddedDatabase); passwords in \(cluster.passwordFile)"
            )
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded cluster.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            let (cluster, _) = try DatabaseCommand.embedded(options)
            try cluster.stop()
            print("embedded PostgreSQL \(cluster.status())")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show whether the embedded cluster runs.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            let (cluster, _) = try DatabaseCommand.embedded(options)
            print("embedded PostgreSQL in \(cluster.directory): \(cluster.status()), \(cluster.location); passwords in \(cluster.passwordFile)")
        }
    }
}
