import Foundation
import NIOCore
import NIOPosix
import Synchronization

@testable import Host

/// A real SMTP server on loopback for the mail tests, on SwiftNIO in the test process: it speaks
/// enough of RFC 5321 for a client (`EHLO`, `AUTH PLAIN`, `MAIL`, `RCPT`, `DATA`, `RSET`, `NOOP`, `QUIT`; no
/// `STARTTLS`) and keeps each message it accepts, its subject and base64 text decoded.
final class MailTestServer: Sendable {
    /// One message as the server received it.
    struct Received: Sendable {
        let from: String
        let to: [String]
        let subject: String
        let body: String
    }

    /// How the server treats a connection.
    enum Manner: Sendable {
        /// Takes mail.
        case accepting
        /// Accepts the connection and never says a word.
        case silent
        /// Greets, then answers every command with `451` (a server in trouble).
        case failing
    }

    let port: Int
    private let channel: any Channel
    private let inbox: Inbox

    private init(port: Int, channel: any Channel, inbox: Inbox) {
        self.port = port
        self.channel = channel
        self.inbox = inbox
    }

    /// Starts a server on `port` of 127.0.0.1 (0: any free one).
    static func start(port: Int = 0, _ manner: Manner = .accepting) async throws -> MailTestServer {
        let inbox = Inbox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyLineDecoder()))
                    try channel.pipeline.syncOperations.addHandler(Session(manner: manner, inbox: inbox))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        guard let bound = channel.localAddress?.port else { throw SetupError() }
        return MailTestServer(port: bound, channel: channel, inbox: inbox)
    }

    /// Stops listening: connections to the port are refused from now on.
    func stop() async throws {
        try await channel.close()
    }

    /// The messages received so far, in the order they came.
    func received() -> [Received] {
        inbox.messages.withLock { $0 }
    }

    /// The credentials of each `AUTH PLAIN` so far (`\0user\0password`, decoded).
    func logins() -> [String] {
        inbox.logins.withLock { $0 }
    }

    /// The server is listening on no port.
    struct SetupError: Error {}

    /// Where the sessions put what they receive (shared by the sessions of one server).
    final class Inbox: Sendable {
        let messages = Mutex<[Received]>([])
        let logins = Mutex<[String]>([])
    }

    /// One client's session: one line in, one reply out.
    final class Session: ChannelInboundHandler {
        typealias InboundIn = String
        typealias OutboundOut = ByteBuffer

        let manner: Manner
        let inbox: Inbox
        private var from = ""
        private var to: [String] = []
        private var data: [String]?

        init(manner: Manner, inbox: Inbox) {
            self.manner = manner
            self.inbox = inbox
        }

        func channelActive(context: ChannelHandlerContext) {
            if manner != .silent { reply("220 localhost ESMTP test server", context) }
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data input: NIOAny) {
            let line = unwrapInboundIn(input)
            if var lines = data {
                guard line != "." else {
                    data = nil
                    inbox.messages.withLock { $0.append(Self.message(lines, from: from, to: to)) }
                    reply("250 accepted", context)
                    return
                }
                lines.append(line.hasPrefix(".") ? String(line.dropFirst()) : line)
                data = lines
                return
            }
            guard manner == .accepting else { return reply("451 try again later", context) }
            let verb = line.prefix(while: { $0 != " " && $0 != ":" }).uppercased()
            switch verb {
            case "EHLO": reply("250-localhost\r\n250-8BITMIME\r\n250 HELP", context)
            case "HELO", "NOOP": reply("250 ok", context)
            case "AUTH":
                let secret = line.split(separator: " ").dropFirst(2).first.flatMap { Data(base64Encoded: String($0)) }
                inbox.logins.withLock { $0.append(secret.map { String(decoding: $0, as: UTF8.self) } ?? "") }
                reply("235 authenticated", context)
            case "RSET":
                (from, to) = ("", [])
                reply("250 ok", context)
            case "MAIL":
                from = Self.address(in: line)
                reply("250 ok", context)
            case "RCPT":
                to.append(Self.address(in: line))
                reply("250 ok", context)
            case "DATA":
                data = []
                reply("354 end with <CRLF>.<CRLF>", context)
            case "QUIT":
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "221 bye\r\n"))).whenComplete { _ in bound.value.close(promise: nil) }
            default: reply("502 not implemented", context)
            }
        }

        private func reply(_ text: String, _ context: ChannelHandlerContext) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text + "\r\n")), promise: nil)
        }

        /// `user@example.se` of `MAIL FROM:<user@example.se>`.
        static func address(in line: String) -> String {
            guard let open = line.firstIndex(of: "<"), let close = line.lastIndex(of: ">"), open < close else { return "" }
            return String(line[line.index(after: open)..<close])
        }

        /// The message of `lines`: the subject (RFC 2047 `B` decoded) and the text (base64 decoded).
        static func message(_ lines: [String], from: String, to: [String]) -> Received {
            let blank = lines.firstIndex(of: "") ?? lines.endIndex
            let headers = lines[..<blank]
            var subject = headers.first { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst(9)) } ?? ""
            if subject.hasPrefix("=?UTF-8?B?"), subject.hasSuffix("?="),
                let decoded = Data(base64Encoded: String(subject.dropFirst(10).dropLast(2)))
            {
                subject = String(decoding: decoded, as: UTF8.self)
            }
            let encoded = lines[blank...].joined()
            let text = Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } ?? encoded
            return Received(from: from, to: to, subject: subject, body: text.replacingOccurrences(of: "\r\n", with: "\n"))
        }
    }
}
