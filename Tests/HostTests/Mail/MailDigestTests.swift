import DataAccess
import FeatureSupport
import Foundation
import HostTestSupport
import PageKit
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Host

/// The daily reminder digests end to end, against a real SMTP server on loopback (``MailTestServer``):
/// a feature's reminder event, queued for the responsible users, written into one digest per
/// person and day in their language, sent once.
@Suite("Reminder digests by e-mail", .serialized)
struct MailDigestTests {
    static let base = "https://kooperator.example.se"

    func settings(port: Int, timeout: Duration = .seconds(20)) -> MailSettings {
        MailSettings(
            transport: .smtp(.init(host: "127.0.0.1", port: port, startTLS: false, user: nil, password: nil, timeout: timeout)),
            from: "kooperator@kommun.example.se",
            baseURL: Self.base,
            retryDelay: .seconds(60)
        )
    }

    /// A migrated host with three caseworkers: Anna (English), Bertil (digest off), Cecilia (Swedish).
    func host() async throws -> (HostRuntime, [String: Int]) {
        let runtime = try HostFixture.runtime(url: try await TestPostgres.makeDatabaseURL())
        try await runtime.migrate()
        var ids: [String: Int] = [:]
        let people: [(String, String, Language, Bool)] = [
            ("anna", "Anna Berg", .en, true), ("bertil", "Bertil Ek", .sv, false), ("cecilia", "Cecilia Åberg", .sv, true),
        ]
        for (name, display, language, digest) in people {
            let user = try await runtime.users.add(name: name, displayName: display, role: .officer, organisationID: nil, actor: .system)
            let settings = UserSettings(email: "\(name)@kommun.example.se", language: language, reminderDigest: digest)
            _ = try await runtime.users.changeSettings(ofUser: user.id, to: settings, actor: .system)
            ids[name] = user.id
        }
        return (runtime, ids)
    }

    /// Publishes a reminder as a feature's daily job does, in its own transaction.
    func raise(_ kind: String, subject: Int, overdue: Bool, _ runtime: HostRuntime) async throws {
        let events = runtime.context(for: "notes").events
        let notice = ReminderNotice(
            kind: kind,
            subjectId: subject,
            due: LocalDate(year: 2026, month: 12, day: 20)!,
            overdue: overdue,
            text: ["sv": "Omprövning av avtal \(subject)", "en": "Review of agreement \(subject)"],
            path: "/notes/\(subject)",
            responsible: .init(roles: ["officer"])
        )
        _ = try await runtime.database.transaction { tx in try events.publish(ReminderRaised<NotesPlugin>(notice), in: tx) }
    }

    func writer(_ settings: MailSettings) throws -> DigestWriter { try DigestWriter(settings: settings) }

    @Test("each responsible user with the digest on gets one message in their language with links; nothing twice")
    func digestOncePerPerson() async throws {
        let server = try await MailTestServer.start()
        let (runtime, _) = try await host()
        let settings = settings(port: server.port)
        try await raise("review", subject: 7, overdue: false, runtime)
        try await raise("report", subject: 8, overdue: true, runtime)
        // Delivered twice over (a redelivery queues nothing new).
        _ = try await runtime.dispatcher.dispatchPending()
        _ = try await runtime.dispatcher.dispatchPending()
        let writer = try writer(settings)
        let day = LocalDate(year: 2026, month: 12, day: 7)!
        // Two hosts write and send at once, and each again.
        async let first = runtime.database.transaction { tx in try writer.write(on: day, in: tx) }
        async let second = runtime.database.transaction { tx in try writer.write(on: day, in: tx) }
        #expect(try await first + second == 2)
        #expect(try await runtime.database.transaction { tx in try writer.write(on: day, in: tx) } == 0)
        let outbox = MailOutbox(
            database: runtime.database,
            settings: settings,
            transport: MailTransport(transport: settings.transport, logger: runtime.logger),
            logger: runtime.logger
        )
        async let sentA = outbox.sendDue()
        async let sentB = outbox.sendDue()
        #expect(try await sentA + sentB == 2)
        #expect(try await outbox.sendDue() == 0)

        try await server.stop()
        let received = server.received().sorted { $0.to[0] < $1.to[0] }
        try #require(received.count == 2)
        #expect(received.map(\.to) == [["anna@kommun.example.se"], ["cecilia@kommun.example.se"]])
        #expect(received.allSatisfy { $0.from == "kooperator@kommun.example.se" })
        let (anna, cecilia) = (received[0], received[1])
        #expect(anna.subject == "Reminders from Kooperator, 2026-12-07 (2)")
        #expect(anna.body.contains("Hello Anna Berg,"))
        #expect(anna.body.contains("- Review of agreement 8: overdue since 2026-12-20"))
        #expect(anna.body.contains("- Review of agreement 7: due on 2026-12-20"))
        #expect(anna.body.contains("\(Self.base)/notes/7") && anna.body.contains("\(Self.base)/notes/8"))
        #expect(anna.body.contains("\(Self.base)/admin/settings"))
        #expect(cecilia.subject == "Påminnelser från Kooperator 2026-12-07 (2)")
        #expect(cecilia.body.contains("Hej Cecilia Åberg!"))
        #expect(cecilia.body.contains("- Omprövning av avtal 7: senast 2026-12-20"))
        await runtime.shutdown()
    }

    @Test("a message the server could not take is sent once it is back")
    func retriedAfterOutage() async throws {
        // A port nobody listens on: take one from a server and stop it.
        let probe = try await MailTestServer.start()
        let port = probe.port
        try await probe.stop()
        let (runtime, _) = try await host()
        let settings = settings(port: port)
        try await raise("review", subject: 9, overdue: false, runtime)
        _ = try await runtime.dispatcher.dispatchPending()
        let day = LocalDate(year: 2026, month: 12, day: 8)!
        let writer = try writer(settings)
        #expect(try await runtime.database.transaction { tx in try writer.write(on: day, in: tx) } == 2)
        let outbox = MailOutbox(
            database: runtime.database,
            settings: settings,
            transport: MailTransport(transport: settings.transport, logger: runtime.logger),
            logger: runtime.logger
        )
        #expect(try await outbox.sendDue() == 0)
        let waiting = try await runtime.database.query(
            "SELECT count(*) AS n FROM kernel.mail_outbox WHERE state = 'pending' AND attempts = 1 AND last_error IS NOT NULL AND next_attempt_at > now()"
        ).single()
        #expect(try waiting.decode("n", as: Int.self) == 2)
        // Not before its back-off has passed.
        #expect(try await outbox.sendDue() == 0)

        let server = try await MailTestServer.start(port: port)
        // As when the back-off has passed.
        _ = try await runtime.database.execute("UPDATE kernel.mail_outbox SET next_attempt_at = now()")
        #expect(try await outbox.sendDue() == 2)
        try await server.stop()
        #expect(server.received().map(\.to) == [["anna@kommun.example.se"], ["cecilia@kommun.example.se"]])
        let sent = try await runtime.database.query("SELECT count(*) AS n FROM kernel.mail_outbox WHERE state = 'sent' AND attempts = 2").single()
        #expect(try sent.decode("n", as: Int.self) == 2)
        await runtime.shutdown()
    }

    /// One message, as the outbox would hand it over.
    static let message = MailMessage(id: 1, from: "kooperator@kommun.example.se", to: "anna@kommun.example.se", subject: "Test", body: "Hej")

    @Test("mail.smtp.user: the client authenticates with AUTH PLAIN and the password from the settings before it sends")
    func authenticated() async throws {
        let server = try await MailTestServer.start()
        let smtp = MailSettings.SMTP(
            host: "127.0.0.1",
            port: server.port,
            startTLS: false,
            user: "kooperator",
            password: "hemligt",
            timeout: .seconds(5)
        )
        try await SMTPClient(settings: smtp).send(Self.message)
        try await server.stop()
        #expect(server.logins() == ["\0kooperator\0hemligt"])
        #expect(server.received().map(\.to) == [["anna@kommun.example.se"]])
        #expect(server.received().first?.body == "Hej")
    }

    @Test(
        "a server that is silent, fails, lacks STARTTLS or is not there gives a clear error, never a wait",
        arguments: [
            (MailTestServer.Manner.silent, false, "said nothing for 1.0 seconds (after connecting)"),
            (.failing, false, "refused EHLO: 451 try again later"),
            (.accepting, true, "does not offer STARTTLS"),
        ]
    )
    func serverTrouble(manner: MailTestServer.Manner, startTLS: Bool, says: String) async throws {
        let server = try await MailTestServer.start(manner)
        let smtp = MailSettings.SMTP(host: "127.0.0.1", port: server.port, startTLS: startTLS, user: nil, password: nil, timeout: .seconds(1))
        let error = await #expect(throws: MailError.self) { try await SMTPClient(settings: smtp).send(Self.message) }
        #expect(error?.message.contains(says) == true, "\(error.map(String.init(describing:)) ?? "no error")")
        try await server.stop()
        #expect(server.received().isEmpty)

        // Nobody on the port any more.
        let gone = await #expect(throws: MailError.self) { try await SMTPClient(settings: smtp).send(Self.message) }
        #expect(gone?.message.contains("cannot reach the SMTP server 127.0.0.1:\(server.port)") == true)
    }
}

extension MailDigestTests {
    @Test("mail.sendmail: the program gets the envelope and the message, with no signal blocked; one that fails or hangs is an error")
    func sendmail() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sendmail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sendmail").path
        func install(_ script: String) throws {
            try ("#!/bin/sh\n" + script).write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        try install(
            """
            cd "$(dirname "$0")"
            printf '%s\\n' "$@" > arguments
            cat > message
            exec grep SigBlk /proc/self/status > signals

            """
        )
        try await SendmailProgram(path: path).send(Self.message)
        func written(_ name: String) throws -> String { try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }
        #expect(try written("arguments") == "-i\n-f\nkooperator@kommun.example.se\n--\nanna@kommun.example.se\n")
        // Nothing blocked: a program stopped with SIGTERM stops.
        let signals = try written("signals")
        #expect(signals == "SigBlk:\t0000000000000000\n", "\(signals)")
        let message = try written("message")
        #expect(message.contains("To: anna@kommun.example.se\r\nSubject: Test\r\n"))
        #expect(message.contains("\r\n\r\nSGVq\r\n"))

        try install("cat > /dev/null\necho 'no such user' >&2\nexit 67\n")
        let refused = await #expect(throws: MailError.self) { try await SendmailProgram(path: path).send(Self.message) }
        #expect(refused?.message == "\(path) exited with 67: no such user")

        try install("exec sleep 30\n")
        let slow = await #expect(throws: MailError.self) { try await SendmailProgram(path: path, timeout: .seconds(1)).send(Self.message) }
        #expect(slow?.message == "\(path) took longer than 1.0 seconds and was stopped")
    }
}
