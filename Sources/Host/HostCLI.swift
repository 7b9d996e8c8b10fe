import ArgumentParser
import DataAccess
import Foundation
public import PluginKit
import Registry

/// The command line of a host executable: dispatches `kooperator <feature> …` to an enabled
/// feature's commands, and everything else to the ``Kooperator`` command tree. The executables'
/// `main` is one call of ``main(adding:)``: `kooperator` (Sources/KooperatorMain) with the
/// product's features, `kooperator-bench` (Benchmarks/BenchMain) with the benchmark's feature too.
public enum HostCLI {
    /// The features this process was built with; tests bind their own with `$plugins.withValue`.
    @TaskLocal static var plugins: [any FeaturePlugin.Type] = AvailablePlugins.all

    /// Runs this process's command line with the product's features (``AvailablePlugins``) and
    /// `extra` ones, and exits with its code.
    ///
    /// - Parameter extra: Features linked into this executable only (the benchmark's); the
    ///   product's `kooperator` passes none.
    public static func main(adding extra: [any FeaturePlugin.Type] = []) async -> Never {
        let code = await $plugins.withValue(AvailablePlugins.all + extra) {
            await run(Array(CommandLine.arguments.dropFirst()))
        }
        exit(code)
    }

    /// Runs one command line.
    ///
    /// - Parameters:
    ///   - arguments: The arguments after the program name.
    ///   - environment: The environment for `KOOPERATOR_*` overrides.
    /// - Returns: The exit code.
    static func run(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) async -> Int32 {
        let builtIn = Set(Kooperator.configuration.subcommands.map { $0._commandName } + ["help"])
        if let (index, word) = firstCommandWord(arguments), !builtIn.contains(word),
            let type = (AvailablePlugins.kernel + plugins).first(where: { $0.id == word })
        {
            return await runFeatureCommand(type, arguments: arguments, at: index, environment: environment)
        }
        do {
            var command = try Kooperator.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            return report(error, for: Kooperator.self)
        }
    }

    static func report(_ error: any Error, for command: any ParsableCommand.Type) -> Int32 {
        let code = command.exitCode(for: error)
        switch error {
        // Failures the operator can act on: their message says what and where, no usage text.
        case is CommandFailure, is ConfigProblems, is DatabaseError, is EmbeddedPostgresError, is FeatureError, is IdentityKeyError:
            printError("kooperator: \(error)")
            return 1
        default:
            let message = command.fullMessage(for: error)
            if !message.isEmpty {
                if code == .success { print(message) } else { printError(message) }
            }
            return code.rawValue
        }
    }

    /// `kooperator <feature> <command> …`.
    static func runFeatureCommand(_ type: any FeaturePlugin.Type, arguments: [String], at index: Int, environment: [String: String]) async -> Int32 {
        // Parsed, not `GlobalOptions()`: an unparsed options value cannot even read its defaults.
        guard var options = try? GlobalOptions.parse([]) else { return 70 }
        if let configIndex = arguments.firstIndex(of: "--config"), configIndex + 1 < arguments.count {
            options.config = arguments[configIndex + 1]
        } else if let inline = arguments.first(where: { $0.hasPrefix("--config=") }) {
            options.config = String(inline.dropFirst("--config=".count))
        }
        let (configuration, problems) = LoadedConfiguration.load(path: options.config, environment: environment, plugins: plugins)
        guard let configuration, problems.isEmpty else {
            printError("kooperator: \(ConfigProblems(problems))")
            return 1
        }
        guard let feature = configuration.features.enabled.first(where: { $0.id == type.id }) else {
            printError(
                "kooperator: the feature '\(type.id)' is disabled in config (features.\(type.id).enabled is false in \(options.config)); its commands are unavailable"
            )
            return 2
        }
        let rest = Array(arguments[(index + 1)...]).filter { $0 != "--config" && $0 != options.config && !$0.hasPrefix("--config=") }
        let commands = feature.plugin.commands
        guard let name = rest.first, !name.hasPrefix("-"), let command = commands.first(where: { $0._commandName == name }) else {
            var usage = "USAGE: kooperator \(type.id) <command>\n\n\(type.summary)\n\nCOMMANDS:\n"
            for command in commands {
                usage += "  \(command._commandName.padding(toLength: 20, withPad: " ", startingAt: 0))\(command.configuration.abstract)\n"
            }
            if commands.isEmpty { usage += "  (this feature has no commands)\n" }
            let asked = rest.isEmpty || rest.contains("--help") || rest.contains("-h")
            if asked { print(usage, terminator: "") } else { printError("kooperator: unknown command '\(rest[0])' of \(type.id)\n\n" + usage) }
            return asked ? 0 : 64
        }
        do {
            let parsed = try command.parseAsRoot(Array(rest.dropFirst()))
            guard let featureCommand = parsed as? any FeatureCommand else {
                var plain = parsed
                try plain.run()
                return 0
            }
            // The configuration read above (with the given environment), not a second read.
            try await HostRuntime.with(configuration, logger: options.logger(configuration)) { runtime in
                try await runtime.requireMigrated()
                try await featureCommand.run(context: runtime.context(for: type.id))
            }
            return 0
        } catch {
            return report(error, for: command)
        }
    }

    /// The first word that is not an option or an option's value.
    static func firstCommandWord(_ arguments: [String]) -> (Int, String)? {
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word == "--config" {
                index += 2
                continue
            }
            if word.hasPrefix("-") {
                index += 1
                continue
            }
            return (index, word)
        }
        return nil
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
