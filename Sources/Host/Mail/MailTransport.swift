import Foundation
import Logging

/// Hands a message to the configured way out (``MailSettings/Transport``): an SMTP server, a
/// sendmail-compatible program, or the log.
struct MailTransport: Sendable {
    let transport: MailSettings.Transport
    let logger: Logger

    /// Sends `message`.
    ///
    /// - Throws: ``MailError`` when the server or the program refuses it or cannot be reached.
    func send(_ message: MailMessage) async throws {
        switch transport {
        case .log:
            logger.notice(
                "mail (no mail transport configured: mail.smtp or mail.sendmail)\nTo: \(message.to)\nSubject: \(message.subject)\n\n\(message.body)"
            )
        case .smtp(let settings):
            try await SMTPClient(settings: settings).send(message)
        case .sendmail(let path):
            try await Self.sendmail(message, program: path)
        }
    }

    /// Pipes the message to `program -i -f FROM -- TO` and waits for it; a non-zero exit fails.
    static func sendmail(_ message: MailMessage, program: String) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["-i", "-f", message.from, "--", message.to]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: MailError("cannot run \(program): \(error)"))
                return
            }
            input.fileHandleForWriting.write(Data(message.rendered().utf8))
            try? input.fileHandleForWriting.close()
        }
        guard status == 0 else {
            let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw MailError("\(program) exited with \(status): \(said.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))")
        }
    }
}
