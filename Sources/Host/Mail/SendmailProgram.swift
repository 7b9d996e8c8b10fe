import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The `mail.sendmail` program, run once per message as `PROGRAM -i -f FROM -- TO` with the
/// message on its standard input; a non-zero exit fails with what it wrote to standard error.
///
/// Not Foundation's `Process`: that starts the child with the calling thread's signal mask, and
/// Swift concurrency's threads block nearly every signal, so the program would start deaf to
/// `SIGTERM` and `SIGALRM` (the mail tests' first SMTP server, a Python child, hung them so: it
/// never saw the `SIGTERM` that was to stop it). Here the child starts with no signal blocked and
/// the usual signals at their defaults, reads the message from a file (no pipe to fill), and is
/// waited for without holding a thread, and killed when it takes longer than `timeout`.
struct SendmailProgram: Sendable {
    /// The program's absolute path.
    let path: String
    /// How long the program may take for one message.
    var timeout: Duration = .seconds(120)

    /// Hands `message` to the program.
    ///
    /// - Throws: ``MailError`` when it cannot be started, fails, or takes longer than `timeout`.
    func send(_ message: MailMessage) async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("kooperator-mail-\(UUID().uuidString)").path
        let (input, errors) = (base + ".eml", base + ".err")
        defer {
            unlink(input)
            unlink(errors)
        }
        guard FileManager.default.createFile(atPath: input, contents: Data(message.rendered().utf8), attributes: [.posixPermissions: 0o600])
        else { throw MailError("cannot write the message for \(path) to \(input)") }
        let status = try await wait(for: try spawn(["-i", "-f", message.from, "--", message.to], input: input, errors: errors))
        guard status == 0 else {
            let said = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            throw MailError("\(path) exited with \(status): \(said.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))")
        }
    }

    /// Starts the program: standard input from `input`, standard error to `errors`, no signal
    /// blocked, the usual signals at their default actions.
    private func spawn(_ arguments: [String], input: String, errors: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGALRM, SIGTERM, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let command = [path] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw MailError("cannot run \(path): \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// The program's exit status (128 + the signal when a signal ended it), looked for every
    /// 20 ms; past `timeout`, or when the task is cancelled, the program is killed.
    private func wait(for pid: pid_t) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        var status: Int32 = 0
        func stop() {
            kill(pid, SIGKILL)
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
            if reaped == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
            if reaped == -1 && errno != EINTR { throw MailError("lost \(path) (pid \(pid)): \(String(cString: strerror(errno)))") }
            if ContinuousClock.now >= deadline {
                stop()
                throw MailError("\(path) took longer than \(timeout) and was stopped")
            }
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                stop()
                throw error
            }
        }
    }
}
