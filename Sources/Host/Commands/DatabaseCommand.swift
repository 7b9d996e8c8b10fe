import ArgumentParser
import DataAccess
import Foundation

/// `kooperator db start|stop|status`: the embedded PostgreSQL cluster, by hand; `db backup|restore`:
/// every schema the host owns, on the embedded cluster or the configured database.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Start, stop or inspect the embedded PostgreSQL cluster; back up or restore the database.",
        subcommands: [Start.self, Stop.self, Status.self, Backup.self, Restore.self]
    )

    /// `path` made absolute against the working directory (the tools run from "/").
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

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
            // Started by hand, it runs until stopped by hand: a host using it leaves it running.
            cluster.release()
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

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a consistent copy of every schema the host owns to FILE (pg_dump's custom format, mode 0600).",
            discussion: "The identity key is not in the copy: keep it apart from the backups (README, Backups)."
        )
        @OptionGroup var options: GlobalOptions
        @Argument(help: ArgumentHelp("The file to write.", valueName: "file")) var file: String
        func run() async throws {
            let path = DatabaseCommand.absolute(file)
            let schemas = try await HostRuntime.with(options) { runtime in try await runtime.backup(to: path) }
            print("backed up \(schemas.joined(separator: ", ")) to \(path)")
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore a backup made by `db backup` into the configured database, which must be empty.",
            discussion: "All or nothing, in one transaction. Start the host with the identity key the backup was made with."
        )
        @OptionGroup var options: GlobalOptions
        @Argument(help: ArgumentHelp("The backup file.", valueName: "file")) var file: String
        func run() async throws {
            let path = DatabaseCommand.absolute(file)
            let schemas = try await HostRuntime.with(options) { runtime in try await runtime.restore(from: path) }
            print("restored \(schemas.joined(separator: ", ")) from \(path)")
        }
    }
}
