import ArgumentParser
import Hummingbird
import Logging
import NIOCore
import Registry

#if canImport(Glibc)
import Glibc
#endif

/// `kooperator serve`: runs the HTTP API until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (and start the embedded PostgreSQL when no database URL is set).",
        discussion: "Refuses to start while migration steps are pending unless --migrate is given."
    )

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Apply pending migration steps before serving.")
    var migrate = false

    @Flag(help: "Load the demo story (as `kooperator demo load`) before serving; loading again changes nothing.")
    var demo = false

    func run() async throws {
        try await HostRuntime.with(options) { runtime in
            if migrate {
                let applied = try await runtime.migrate()
                if !applied.isEmpty { runtime.logger.info("applied \(applied.count) migration step(s)") }
            } else {
                try await runtime.requireMigrated()
            }
            try await runtime.registry.verifyKey()
            if demo {
                let passwords = try await runtime.loadDemo()
                let http = runtime.configuration.host.http
                // On standard output, not in the log: a password has no place in a log file.
                print("demo story loaded; open http://\(http.host):\(http.port) and sign in:")
                for line in HostRuntime.signInLines(passwords) { print(line) }
                fflush(nil)  // flushes standard output: a pipe buffers it, and the lines must show before serving
            }
            let application = try buildApplication(runtime: runtime)
            let http = runtime.configuration.host.http
            do {
                try await application.runService()
            } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EACCES {
                throw CommandFailure(
                    "cannot listen on \(http.host):\(http.port): \(error.errnoCode == EADDRINUSE ? "the address is in use" : "permission denied") "
                        + "(set http.port or KOOPERATOR_HTTP_PORT)"
                )
            }
        }
    }
}
