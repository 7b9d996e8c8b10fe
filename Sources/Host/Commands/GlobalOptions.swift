import ArgumentParser
import DataAccess
import Foundation
import Logging
import PluginKit
import Registry

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The config file.", valueName: "path"))
    var config: String = "config/kooperator.yaml"

    /// Loads and validates the configuration; any problem stops the command.
    ///
    /// - Throws: ``ConfigProblems`` listing every problem.
    func load() throws -> LoadedConfiguration {
        let (configuration, problems) = LoadedConfiguration.load(
            path: config,
            environment: ProcessInfo.processInfo.environment,
            plugins: HostCLI.plugins
        )
        guard let configuration, problems.isEmpty else { throw ConfigProblems(problems) }
        return configuration
    }

    /// A logger at the configured level.
    func logger(_ configuration: LoadedConfiguration) -> Logger {
        var logger = Logger(label: "kooperator")
        logger.logLevel = configuration.host.logLevel
        return logger
    }
}

/// A command failed for a reason the operator can act on; printed without a stack of detail.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

extension HostRuntime {
    /// Starts a runtime for a command, runs `body`, and always shuts it down.
    static func with<Result>(_ options: GlobalOptions, _ body: (HostRuntime) async throws -> Result) async throws -> Result {
        let configuration = try options.load()
        return try await with(configuration, logger: options.logger(configuration), body)
    }

    /// Starts a runtime for a command that needs the schema up to date and the right identity
    /// key, runs `body`, and always shuts it down.
    static func withMigrated<Result>(_ options: GlobalOptions, _ body: (HostRuntime) async throws -> Result) async throws -> Result {
        try await with(options) { runtime in
            try await runtime.requireMigrated()
            return try await body(runtime)
        }
    }

    /// The same, for a configuration already loaded and validated.
    static func with<Result>(
        _ configuration: LoadedConfiguration,
        logger: Logger,
        _ body: (HostRuntime) async throws -> Result
    ) async throws -> Result {
        let runtime = try HostRuntime.start(configuration: configuration, logger: logger)
        do {
            // An embedded cluster of an earlier version was migrated as the superuser: its data
            // moved to the owner on start, and the serving role gets its grants here.
            try await runtime.grantServingRole()
            let result = try await body(runtime)
            await runtime.shutdown()
            return result
        } catch {
            await runtime.shutdown()
            throw error
        }
    }

    /// Fails when steps are pending, naming them and the command that applies them, or when the
    /// identity key is not the one the registry's data was sealed with; then stores the roles (a
    /// feature switched on since the last migration may bring one) and reads the stored ones.
    func requireMigrated() async throws {
        try await requireNoPendingSteps()
        try await registry.verifyKey()
        try await storeRoles()
    }

    func requireNoPendingSteps() async throws {
        var pending = try await pendingMigrations()
        // A changed past first: no `--migrate` mends it, and nothing may serve on it.
        let changed = pending.filter { !$0.changed.isEmpty }
        guard changed.isEmpty else {
            throw CommandFailure(
                changed.map(\.changedDescription).joined(separator: "; ") + "; restore the step and add a new one instead"
            )
        }
        pending = pending.filter { !$0.pending.isEmpty }
        guard pending.isEmpty else {
            let list = pending.map { status in "\(status.feature) " + status.pending.map { "\($0.step)" }.joined(separator: ",") }
            throw CommandFailure(
                "\(pending.reduce(0) { $0 + $1.pending.count }) migration step(s) pending (\(list.joined(separator: "; "))); "
                    + "run `kooperator migrate` or start with `kooperator serve --migrate`"
            )
        }
    }
}
