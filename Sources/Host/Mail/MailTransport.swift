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
            try await SendmailProgram(path: path).send(message)
        }
    }
}
