import Foundation
import PluginKit

/// `mail`: how mail leaves the host and when the daily reminder digest is made.
///
/// One transport: `mail.smtp.host` (an SMTP server, STARTTLS by default), or `mail.sendmail` (a
/// sendmail-compatible program, for hosts with a local mail transfer agent); with neither, every
/// message is written to the log (`make run`). Both at once is an error.
struct MailSettings: Sendable, Hashable {
    /// How messages leave.
    enum Transport: Sendable, Hashable {
        /// Written to the log at `notice`: nothing is configured.
        case log
        /// Handed to an SMTP server.
        case smtp(SMTP)
        /// Piped to a sendmail-compatible program at this path.
        case sendmail(String)
    }

    /// `mail.smtp`.
    struct SMTP: Sendable, Hashable, CustomStringConvertible {
        var host: String
        var port: Int
        /// Whether the session is upgraded with STARTTLS before anything is sent (required
        /// unless the server is on loopback).
        var startTLS: Bool
        /// The user to authenticate as (`AUTH PLAIN`); `nil`: no authentication.
        var user: String?
        /// The password, read from the environment variable `passwordVariable` names.
        var password: String?
        /// How long the client waits for the connection and for each of the server's replies.
        var timeout: Duration

        /// How long one message's whole session may take: a dozen steps, four waits' worth.
        var sessionTimeout: Duration { timeout * 4 }

        /// Never the password.
        var description: String { "smtp://\(user.map { "\($0)@" } ?? "")\(host):\(port)\(startTLS ? " (STARTTLS)" : "")" }
    }

    var transport: Transport
    /// The sender's address (`From`, and the envelope's).
    var from: String
    /// The start of every link in a message (`https://kooperator.example.se`), without a trailing `/`.
    var baseURL: String
    /// The hour of the day (the host's time zone) from which the day's digests are made, so the
    /// features' reminder jobs of the day have run.
    var digestHour: Int
    /// How often the mail service looks for digests to make and messages to send.
    var pollInterval: Duration
    /// Attempts per message before it is marked failed.
    var maxAttempts: Int
    /// The first retry's delay, doubled after each failed attempt.
    var retryDelay: Duration

    /// The defaults: mail to the log, links to the listen address.
    init(
        transport: Transport = .log,
        from: String = "kooperator@localhost",
        baseURL: String = "http://127.0.0.1:8080",
        digestHour: Int = 6,
        pollInterval: Duration = .seconds(60),
        maxAttempts: Int = 10,
        retryDelay: Duration = .seconds(60)
    ) {
        self.transport = transport
        self.from = from
        self.baseURL = baseURL
        self.digestHour = digestHour
        self.pollInterval = pollInterval
        self.maxAttempts = maxAttempts
        self.retryDelay = retryDelay
    }

    /// Reads `mail`, recording each problem in `section`.
    init(section: ConfigSection, http: HostConfiguration.HTTPSettings, environment: [String: String]) {
        let from = section.string("from", default: "kooperator@localhost")
        if !Self.isAddress(from) { section.problem("from", "'\(from)' is not an e-mail address (name@example.se)") }
        var base = section.string("baseUrl", default: "")
        if base.isEmpty {
            let host = http.host == "0.0.0.0" || http.host == "::" ? "localhost" : http.host
            base = "http://\(host.contains(":") ? "[\(host)]" : host):\(http.port)"
        } else if URL(string: base)?.host == nil || !(base.hasPrefix("https://") || base.hasPrefix("http://")) {
            section.problem("baseUrl", "'\(base)' is not an http(s) URL (https://kooperator.example.se)")
        }
        while base.hasSuffix("/") { base.removeLast() }
        let smtp = section.section("smtp")
        let host = smtp.string("host", default: "")
        let sendmail = section.string("sendmail", default: "")
        var transport = Transport.log
        if !host.isEmpty {
            let port = smtp.int("port", default: 587, range: 1...65535)
            let startTLS = smtp.bool("starttls", default: true)
            let user = smtp.string("user", default: "")
            let variable = smtp.string("passwordVariable", default: "")
            var password: String?
            if !variable.isEmpty {
                password = environment[variable]
                if password == nil { smtp.problem("passwordVariable", "the environment variable \(variable) is not set") }
            } else if !user.isEmpty {
                smtp.problem("passwordVariable", "names the environment variable with the password of user \(user) (KOOPERATOR_SMTP_PASSWORD)")
            }
            if !startTLS && !user.isEmpty && !HostConfiguration.isLoopback(host) {
                smtp.problem("starttls", "is needed to send a password to \(host) (only a server on loopback may go without)")
            }
            let timeout = smtp.int("timeoutSeconds", default: 30, range: 1...600)
            transport = .smtp(
                SMTP(host: host, port: port, startTLS: startTLS, user: user.isEmpty ? nil : user, password: password, timeout: .seconds(timeout))
            )
            if !sendmail.isEmpty { section.problem("sendmail", "and mail.smtp.host are both set: choose one transport") }
        } else if !sendmail.isEmpty {
            if !sendmail.hasPrefix("/") || !FileManager.default.isExecutableFile(atPath: sendmail) {
                section.problem("sendmail", "'\(sendmail)' is not an executable program (give its absolute path, e.g. /usr/sbin/sendmail)")
            }
            transport = .sendmail(sendmail)
        }
        self.init(
            transport: transport,
            from: from,
            baseURL: base,
            digestHour: section.int("digestHour", default: 6, range: 0...23),
            pollInterval: .seconds(section.int("pollIntervalSeconds", default: 60, range: 1...3600)),
            maxAttempts: section.int("maxAttempts", default: 10, range: 1...100),
            retryDelay: .seconds(section.int("retryDelaySeconds", default: 60, range: 1...86_400))
        )
        _ = smtp.reportUnreadKeys()
        _ = section.reportUnreadKeys()
    }

    /// Whether `text` is one plain address (`name@domain`): no spaces, line breaks or header
    /// syntax, so it can go into a header and an SMTP command as it is.
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, text.utf8.count <= 254 else { return false }
        let forbidden = CharacterSet.whitespacesAndNewlines.union(.controlCharacters).union(CharacterSet(charactersIn: "<>,;\"()[]\\"))
        return text.unicodeScalars.allSatisfy { !forbidden.contains($0) }
    }
}
