import DataAccess
import FeatureSupport
import Foundation
import HostTestSupport
import Logging
import PluginKit
import Synchronization
import TestSupport
import Testing

@testable import Host

/// Two hosts on one database, as behind a load balancer: background work is done once.
@Suite("Exactly once across hosts")
struct ExactlyOnceTests {
    @Test("two hosts delivering the outbox at the same time deliver every event once")
    func eventsOnce() async throws {
        try await TestPostgres.withDatabase { _, url in
            let features = "notes: { enabled: true }\necho: { enabled: true }"
            let first = try HostFixture.runtime(url: url, features: features)
            try await first.migrate()
            let second = try HostFixture.runtime(url: url, features: features)
            for number in 0..<60 { _ = try await NotesPlugin.add("händelse \(number)", slug: nil, context: first.context(for: "notes")) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for host in [first, second] {
                    group.addTask { for _ in 0..<5 { _ = try await host.dispatcher.dispatchPending() } }
                }
                try await group.waitForAll()
            }
            let received = try await first.database.query("SELECT count(*) AS n, count(DISTINCT note_id) AS distinct_notes FROM echo.received")
                .single()
            #expect(try received.decode("n", as: Int.self) == 60)
            #expect(try received.decode("distinct_notes", as: Int.self) == 60)
            await first.shutdown()
            await second.shutdown()
        }
    }

    @Test("every feature's daily job, started on two hosts at once, does its day once")
    func dailyJobsOnce() async throws {
        try await TestPostgres.withDatabase { _, url in
            let lines = RaisedLines()
            let logger = Logger(label: "kooperator") { _ in RaisedCounter(lines: lines) }
            let features = AvailablePlugins.all.map { "\($0.id): { enabled: true }" }.joined(separator: "\n")
            let plugins = HostFixture.plugins + AvailablePlugins.all
            let first = try HostFixture.runtime(url: url, features: features, plugins: plugins, logger: logger)
            try await first.migrate()
            let second = try HostFixture.runtime(url: url, features: features, plugins: plugins, logger: logger)
            var jobs: [DailyJob] = []
            for host in [first, second] {
                for feature in host.features.enabled {
                    jobs += try feature.plugin.services(context: host.context(for: feature.id)).compactMap { $0 as? DailyJob }
                }
            }
            let names = Set(jobs.map(\.name))
            #expect(names.count >= 4, "the features' daily jobs: \(names.sorted())")
            #expect(jobs.count == 2 * names.count)
            await withTaskGroup(of: Void.self) { group in
                for job in jobs { group.addTask { await job.runToday() } }
            }
            for name in names {
                #expect(lines.count(of: "\(name) raised") == 1, "\(name) ran \(lines.count(of: "\(name) raised")) times")
                #expect(lines.count(of: "\(name) not raised") == 0, "\(name) failed")
            }
            await first.shutdown()
            await second.shutdown()
        }
    }
}

/// The messages logged, counted.
private final class RaisedLines: Sendable {
    private let messages = Mutex<[String]>([])

    func append(_ message: String) { messages.withLock { $0.append(message) } }

    func count(of message: String) -> Int { messages.withLock { $0.filter { $0 == message }.count } }
}

private struct RaisedCounter: LogHandler {
    let lines: RaisedLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .notice

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) { lines.append("\(event.message)") }
}
