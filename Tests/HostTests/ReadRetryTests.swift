import DataAccess
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PluginKit
import Synchronization
import TestSupport
import Testing

@testable import Host

/// A read whose connection breaks under it, as in a fail-over, is run once more on a new one.
@Suite("Reads ride through a broken connection")
struct ReadRetryTests {
    /// A router with the host's error and retry middlewares and two routes whose first run ends
    /// their own database session mid-statement (57P01, as a switch-over does).
    func router(database: Database, attempts: Attempts) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: ReadRetryMiddleware())
        @Sendable func work(_ request: Request, _ context: AppRequestContext) async throws -> String {
            if attempts.count.wrappingAdd(1, ordering: .relaxed).newValue == 1 {
                _ = try await database.query("SELECT pg_terminate_backend(pg_backend_pid())")
            }
            return String(try await database.query("SELECT 41 + 1 AS answer").single().decode("answer", as: Int.self))
        }
        router.get("read", use: work)
        router.post("write", use: work)
        return router
    }

    @Test("a GET whose connection is lost is answered from a new connection; a POST is not run again and gets 503")
    func readRetried() async throws {
        try await TestPostgres.withDatabase(poolSize: 1) { database, _ in
            let reads = Attempts()
            try await Application(router: router(database: database, attempts: reads)).test(.router) { client in
                let read = try await client.execute(uri: "/read", method: .get)
                #expect(read.status == .ok)
                #expect(String(buffer: read.body) == "42")
            }
            #expect(reads.count.load(ordering: .relaxed) == 2)

            let writes = Attempts()
            try await Application(router: router(database: database, attempts: writes)).test(.router) { client in
                let write = try await client.execute(uri: "/write", method: .post)
                #expect(write.status == .serviceUnavailable)
                #expect(write.headers[.retryAfter] != nil)
            }
            #expect(writes.count.load(ordering: .relaxed) == 1, "a write is not run twice by the host")
        }
    }
}

/// How often a route ran.
final class Attempts: Sendable {
    let count = Atomic(0)
}
