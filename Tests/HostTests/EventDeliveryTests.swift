import DataAccess
import Foundation
import HostTestSupport
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Host

@Suite("Event delivery")
struct EventDeliveryTests {
    static let both = "notes: { enabled: true }\necho: { enabled: true }"

    func context(_ runtime: HostRuntime) -> FeatureContext { runtime.context(for: "notes") }

    func count(_ sql: SQL, _ runtime: HostRuntime) async throws -> Int {
        try await runtime.database.query(sql).single().decode("n", as: Int.self)
    }

    @Test("an event is delivered once, after commit, to the subscribed feature")
    func deliveredOnceAfterCommit() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let runtime = try HostFixture.runtime(url: url, features: Self.both)
        try await runtime.migrate()
        let note = try await NotesPlugin.add("Studiecirkel startar", slug: nil, context: context(runtime))

        #expect(try await runtime.dispatcher.dispatchPending() == 1)
        #expect(try await runtime.dispatcher.dispatchPending() == 0)
        let received = try await runtime.database.query("SELECT note_id, body FROM echo.received").single()
        #expect(try received.decode("note_id", as: Int.self) == note.id)
        #expect(try received.decode("body", as: String.self) == "Studiecirkel startar")
        #expect(try await count("SELECT count(*) AS n FROM kernel.event_deliveries WHERE state = 'done' AND attempts = 1", runtime) == 1)
        await runtime.shutdown()
    }

    @Test("an event published in a transaction that rolls back is never delivered")
    func notDeliveredAfterRollback() async throws {
        struct Abort: Error {}
        let url = try await TestPostgres.makeDatabaseURL()
        let runtime = try HostFixture.runtime(url: url, features: Self.both)
        try await runtime.migrate()
        let events = context(runtime).events
        await #expect(throws: Abort.self) {
            try await runtime.database.transaction { tx in
                try events.publish(NoteAdded(noteID: 1, body: "never"), in: tx)
                throw Abort()
            }
        }
        #expect(try await runtime.dispatcher.dispatchPending() == 0)
        #expect(try await count("SELECT count(*) AS n FROM kernel.outbox", runtime) == 0)
        #expect(try await count("SELECT count(*) AS n FROM echo.received", runtime) == 0)
        await runtime.shutdown()
    }

    @Test("a failing handler is rolled back and retried until it succeeds")
    func retriedAfterFailure() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let runtime = try HostFixture.runtime(url: url, features: "notes: { enabled: true }\necho: { enabled: true, failTimes: 2 }")
        try await runtime.migrate()
        _ = try await NotesPlugin.add("retry me", slug: nil, context: context(runtime))

        #expect(try await runtime.dispatcher.dispatchPending() == 1)
        // The failed attempt's insert was rolled back with it.
        #expect(try await count("SELECT count(*) AS n FROM echo.received", runtime) == 0)
        let first = try await runtime.database.query("SELECT state, attempts, last_error FROM kernel.event_deliveries").single()
        #expect(try first.decode("state", as: String.self) == "pending")
        #expect(try first.decode("attempts", as: Int.self) == 1)
        #expect(try first.decode("last_error", as: String?.self)?.contains("HandlerFailure") == true)

        // Retries come after a back-off of a few milliseconds (retryDelayMs 1).
        var done = false
        for _ in 0..<200 where !done {
            try await Task.sleep(for: .milliseconds(5))
            try await runtime.dispatcher.dispatchPending()
            done = try await count("SELECT count(*) AS n FROM kernel.event_deliveries WHERE state = 'done'", runtime) == 1
        }
        #expect(done)
        #expect(try await count("SELECT attempts AS n FROM kernel.event_deliveries", runtime) == 3)
        #expect(try await count("SELECT count(*) AS n FROM echo.received", runtime) == 1)
        await runtime.shutdown()
    }

    @Test("a delivery that keeps failing is marked failed after the attempt limit")
    func failsAfterLimit() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let runtime = try HostFixture.runtime(url: url, features: "notes: { enabled: true }\necho: { enabled: true, failTimes: 50 }")
        try await runtime.migrate()
        _ = try await NotesPlugin.add("hopeless", slug: nil, context: context(runtime))
        var failed = false
        for _ in 0..<400 where !failed {
            try await runtime.dispatcher.dispatchPending()
            failed = try await count("SELECT count(*) AS n FROM kernel.event_deliveries WHERE state = 'failed'", runtime) == 1
            if !failed { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(failed)
        #expect(try await count("SELECT attempts AS n FROM kernel.event_deliveries", runtime) == 3)
        await runtime.shutdown()
    }

    @Test("a running host delivers by itself, woken by the commit")
    func serviceDelivers() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        let runtime = try HostFixture.runtime(url: url, features: Self.both)
        try await runtime.migrate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await runtime.dispatcher.run() }
            _ = try await NotesPlugin.add("live", slug: nil, context: context(runtime))
            var delivered = 0
            for _ in 0..<400 where delivered == 0 {
                try await Task.sleep(for: .milliseconds(5))
                delivered = try await count("SELECT count(*) AS n FROM echo.received", runtime)
            }
            #expect(delivered == 1)
            group.cancelAll()
        }
        await runtime.shutdown()
    }
}
