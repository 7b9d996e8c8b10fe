import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A small SMTP client (RFC 5321) on SwiftNIO: one session per message — greeting, `EHLO`,
/// `STARTTLS` and `EHLO` again when configured, `AUTH PLAIN` when a user is configured,
/// `MAIL FROM`, `RCPT TO`, `DATA`, `QUIT`. Any answer but the expected one ends the session
/// with a ``MailError`` carrying the server's words. Every wait on the network is bounded by
/// `mail.smtp.timeoutSeconds` (``MailSettings/SMTP/timeout``): the connection, and each reply
/// (``SMTPReplyTimeout``); the whole session by ``MailSettings/SMTP/sessionTimeout``. So a
/// server that is down, silent or stalled gives a ``MailError``, never a sender that waits.
struct SMTPClient: Sendable {
    let settings: MailSettings.SMTP

    /// Sends one message.
    ///
    /// - Throws: ``MailError`` when the server cannot be reached, refuses a step, or takes too long.
    func send(_ message: MailMessage) async throws {
        let (limit, server) = (settings.sessionTimeout, "\(settings.host):\(settings.port)")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await session(message) }
            group.addTask {
                try await Task.sleep(for: limit)
                throw MailError("the SMTP session with \(server) took longer than \(limit)")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func session(_ message: MailMessage) async throws {
        let channel: NIOAsyncChannel<String, ByteBuffer>
        do {
            let (timeout, server) = (settings.timeout, "\(settings.host):\(settings.port)")
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(TimeAmount(timeout))
                .connect(host: settings.host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyLineDecoder()))
                        try channel.pipeline.syncOperations.addHandler(SMTPReplyTimeout(timeout: timeout, server: server))
                        return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw MailError("cannot reach the SMTP server \(settings.host):\(settings.port): \(error)")
        }
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            /// The server's next line; `nil` when it closed the connection.
            func next(after step: String) async throws -> String? {
                do {
                    return try await lines.next()
                } catch let error as MailError {
                    throw MailError("\(error) (after \(step))")
                } catch let error where !(error is CancellationError) {
                    throw MailError("the connection to the SMTP server \(settings.host) failed after \(step): \(error)")
                }
            }
            /// Reads one reply (its last line is `NNN text`, the others `NNN-text`) and checks its code.
            func expect(_ codes: Set<Int>, after step: String) async throws -> String {
                var text: [String] = []
                while let line = try await next(after: step) {
                    text.append(String(line.dropFirst(4)))
                    guard line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] != "-" else { continue }
                    guard let code = Int(line.prefix(3)), codes.contains(code) else {
                        throw MailError("the SMTP server refused \(step): \(line.prefix(300))")
                    }
                    return text.joined(separator: "\n")
                }
                throw MailError("the SMTP server closed the connection after \(step)")
            }
            func say(_ command: String, expecting codes: Set<Int>, step: String? = nil) async throws -> String {
                try await outbound.write(ByteBuffer(string: command + "\r\n"))
                return try await expect(codes, after: step ?? String(command.prefix(while: { $0 != " " && $0 != ":" })))
            }
            _ = try await expect([220], after: "connecting")
            let name = Self.clientName
            var features = try await say("EHLO \(name)", expecting: [250])
            if settings.startTLS {
                guard features.uppercased().split(separator: "\n").contains(where: { $0.hasPrefix("STARTTLS") }) else {
                    throw MailError("the SMTP server \(settings.host) does not offer STARTTLS (mail.smtp.starttls)")
                }
                _ = try await say("STARTTLS", expecting: [220])
                let tls = try NIOSSLClientHandler(
                    context: try NIOSSLContext(configuration: .makeClientConfiguration()),
                    serverHostname: settings.host
                )
                try await channel.channel.pipeline.addHandler(tls, position: .first).get()
                features = try await say("EHLO \(name)", expecting: [250])
            }
            if let user = settings.user {
                let secret = Data("\0\(user)\0\(settings.password ?? "")".utf8).base64EncodedString()
                _ = try await say("AUTH PLAIN \(secret)", expecting: [235], step: "AUTH PLAIN for \(user)")
            }
            _ = try await say("MAIL FROM:<\(message.from)>", expecting: [250])
            _ = try await say("RCPT TO:<\(message.to)>", expecting: [250, 251], step: "RCPT TO:<\(message.to)>")
            _ = try await say("DATA", expecting: [354])
            // The rendered message is base64 below its headers, so no line starts with a dot.
            try await outbound.write(ByteBuffer(string: message.rendered()))
            _ = try await say(".", expecting: [250], step: "the message")
            _ = try? await say("QUIT", expecting: [221])
        }
    }

    /// The name the client greets with: this machine's host name, `localhost` when it has none usable.
    static let clientName: String = {
        let name = ProcessInfo.processInfo.hostName
        return name.isEmpty || name.contains(where: { $0.isWhitespace }) ? "localhost" : name
    }()
}
