import Foundation
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import PluginKit
import Synchronization
import TestSupport
import Testing

@testable import Host

#if canImport(Glibc)
import Glibc
#endif

/// Clients that stall or go away: what a host on the open network meets every day.
@Suite("Slow and broken clients")
struct SlowClientTests {
    @Test("a request whose head or body stalls is cut off after http.readTimeoutSeconds")
    func stalledRequest() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let runtime = try HostFixture.runtime(url: url, extra: "http:\n  readTimeoutSeconds: 1")
        try await runtime.migrate()
        #expect(runtime.configuration.host.http.readTimeout == .seconds(1))
        try await buildApplication(runtime: runtime).test(.live) { client in
            let port = try #require(client.port)
            // Half a head, then nothing.
            let head = try RawConnection(port: port)
            try head.send("GET /health HTTP/1.1\r\nHost: local")
            #expect(head.waitForClose(within: .seconds(10)), "a stalled head holds its connection")
            // A whole head and a tenth of the body it announces, then nothing.
            let body = try RawConnection(port: port)
            try body.send("POST /api/v1/notes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"text\":")
            #expect(body.waitForClose(within: .seconds(10)), "a stalled body holds its connection")
            // The host still serves (on a new connection: the test client's own, idle for longer
            // than the timeout, was closed as well).
            let fresh = try RawConnection(port: port)
            try fresh.send("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            #expect(fresh.receiveAll().hasPrefix("HTTP/1.1 200"))
        }
        await runtime.shutdown()
        await TestPostgres.dropDatabase(url: url)
    }

    @Test("the shipped read timeout is 30 s and its range is checked")
    func readTimeoutSetting() throws {
        #expect(try HostFixture.configuration("").0?.host.http.readTimeout == .seconds(30))
        for wrong in ["0", "3601", "soon"] {
            let problems = try HostFixture.configuration("http:\n  readTimeoutSeconds: \(wrong)").1
            #expect(problems.contains { $0.keyPath == "http.readTimeoutSeconds" }, "\(wrong): \(problems)")
        }
    }

    @Test("a client that closes mid-body is logged as a client abort, not as a failed request")
    func clientAbort() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let lines = RecordedLines()
        let logger = Logger(label: "kooperator") { _ in RecordingLogHandler(lines: lines) }
        let runtime = try HostFixture.runtime(url: url, logger: logger)
        try await runtime.migrate()
        try await buildApplication(runtime: runtime).test(.live) { client in
            let port = try #require(client.port)
            for path in ["/api/v1/notes", "/login"] {
                let connection = try RawConnection(port: port)
                try connection.send(
                    "POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"text\":\"half"
                )
                connection.close()
            }
            try? await eventually("both aborts logged", timeout: .seconds(30)) { lines.matching("client aborted").count >= 2 }
            #expect(lines.matching("client aborted").count == 2, "both aborts are logged as such: \(lines.all)")
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
        await runtime.shutdown()
        let failures = lines.all.filter { $0.level >= .error }
        #expect(failures.isEmpty, "nothing is logged as an error: \(failures.map(\.message))")
        await TestPostgres.dropDatabase(url: url)
    }
}

/// A plain TCP connection to the host on loopback, for sending what no HTTP client would.
private final class RawConnection {
    let descriptor: Int32

    init(port: Int) throws {
        // The test listener binds `localhost`, which may be 127.0.0.1 or ::1.
        var descriptor: Int32 = -1
        var address4 = sockaddr_in()
        address4.sin_family = sa_family_t(AF_INET)
        address4.sin_port = UInt16(port).bigEndian
        address4.sin_addr.s_addr = inet_addr("127.0.0.1")
        var address6 = sockaddr_in6()
        address6.sin6_family = sa_family_t(AF_INET6)
        address6.sin6_port = UInt16(port).bigEndian
        address6.sin6_addr = in6addr_loopback
        let four = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if withUnsafePointer(
            to: &address4,
            { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(four, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        ) == 0 {
            descriptor = four
        } else {
            Glibc.close(four)
            let six = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
            if withUnsafePointer(
                to: &address6,
                { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(six, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
            ) == 0 {
                descriptor = six
            } else {
                Glibc.close(six)
            }
        }
        guard descriptor >= 0 else { throw POSIXError(.ECONNREFUSED) }
        self.descriptor = descriptor
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { throw POSIXError(.EPIPE) }
    }

    /// Everything the host sends until it closes the connection.
    func receiveAll() -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case let read = recv(descriptor, &buffer, buffer.count, 0), read > 0 { received += buffer[0..<read] }
        return String(decoding: received, as: UTF8.self)
    }

    /// Whether the host closes the connection within `limit` (a read answers end of stream or a reset).
    func waitForClose(within limit: Duration) -> Bool {
        var poll = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let deadline = ContinuousClock.now + limit
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            guard Glibc.poll(&poll, 1, 100) > 0 else { continue }
            let read = recv(descriptor, &buffer, buffer.count, 0)
            if read <= 0 { return true }
        }
        return false
    }

    private var isOpen = true

    func close() {
        if isOpen { Glibc.close(descriptor) }
        isOpen = false
    }

    deinit { close() }
}

/// Log lines kept for a test to read.
private final class RecordedLines: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
    }

    private let lines = Mutex<[Line]>([])

    var all: [Line] { lines.withLock { $0 } }

    func append(_ line: Line) { lines.withLock { $0.append(line) } }

    func matching(_ text: String) -> [Line] { all.filter { $0.message.contains(text) } }
}

private struct RecordingLogHandler: LogHandler {
    let lines: RecordedLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append(.init(level: event.level, message: "\(event.message)"))
    }
}
