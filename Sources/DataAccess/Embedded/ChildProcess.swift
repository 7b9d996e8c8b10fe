import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program to completion with `posix_spawn` and `waitpid`, its output in a file.
///
/// Not Foundation's `Process`: on Linux its exit monitoring can miss a child whose own child
/// (the server `pg_ctl start` leaves running) keeps going, and `waitUntilExit` then hangs.
enum ChildProcess {
    struct Outcome {
        let status: Int32
        let output: String
    }

    /// Runs `executable` with `arguments`, in this process's environment with `environment` over
    /// it (a password for a client tool travels there, never in the arguments `ps` shows).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("kooperator-\(UUID().uuidString).log").path
        defer { unlink(outputPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        // Run from "/" (env --chdir): initdb, run as postgres, fails when it cannot enter the
        // caller's working directory. Every path passed is absolute.
        let command = ["/usr/bin/env", "--chdir=/", executable] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned: Int32
        if environment.isEmpty {
            spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
        } else {
            let merged = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
            let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { for pointer in envp { free(pointer) } }
            spawned = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        }
        guard spawned == 0 else {
            throw EmbeddedPostgresError(step: executable, message: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { break }
        }
        // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
        let exitCode: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Outcome(status: exitCode, output: output.trimmingTrailingNewlines)
    }
}
