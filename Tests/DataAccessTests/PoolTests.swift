import DataAccess
import Synchronization
import TestSupport
import Testing

@Suite("Connection pool")
struct PoolTests {
    @Test("callers beyond the pool size wait and then succeed")
    func callersQueue() async throws {
        // A generous wait: the claim is that they queue and succeed, and the whole suite shares two cores.
        try await TestPostgres.withDatabase(poolSize: 2, acquireTimeout: .seconds(60)) { database, _ in
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for value in 0..<20 {
                    group.addTask {
                        try await database.query("SELECT \(value) AS v, pg_sleep(0.01)").single().decode("v", as: Int.self)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.sorted() == Array(0..<20))
            let statistics = database.statistics
            #expect(statistics.leased == 0)
            #expect(statistics.idle <= 2)
        }
    }

    @Test("an exhausted pool times out with a pool-timeout error, then serves again")
    func exhaustionTimesOut() async throws {
        try await TestPostgres.withDatabase(poolSize: 1, acquireTimeout: .milliseconds(200)) { database, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Hold the only worker until the caller below has timed out (a fixed sleep could
                // end before a loaded machine even looks).
                let held = Holder()
                group.addTask { try await held.occupy(database) }
                try await eventually("the holder to take the only worker") { database.statistics.leased == 1 }
                let error = await #expect(throws: DatabaseError.self) { try await database.query("SELECT 1") }
                #expect(error?.code == .poolTimeout)
                #expect(error?.isUnavailable == true)
                held.release()
                try await group.waitForAll()
            }
            #expect(database.statistics.timeouts == 1)
            #expect(try await database.query("SELECT 1 AS one").single().decode("one", as: Int.self) == 1)
        }
    }

    @Test("when too many callers wait, the next one fails fast")
    func admissionLimit() async throws {
        try await TestPostgres.withDatabase(poolSize: 1, acquireTimeout: .seconds(10), maxWaiting: 1) { database, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                // The holder keeps the only worker until the second caller has queued behind it
                // and the third has been refused.
                let held = Holder()
                group.addTask { try await held.occupy(database) }
                try await eventually("the holder to take the only worker") { database.statistics.leased == 1 }
                group.addTask { try await database.execute("SELECT 1") }
                try await eventually("the second caller to wait") { database.statistics.waiting == 1 }
                let error = await #expect(throws: DatabaseError.self) { try await database.query("SELECT 1") }
                #expect(error?.code == .poolExhausted)
                held.release()
                try await group.waitForAll()
            }
        }
    }

    @Test("a multi-host URL, as pg_autoctl show uri prints it, reaches the node that answers and takes writes")
    func multiHostURL() async throws {
        let url = try await TestPostgres.makeDatabaseURL()
        // The first node is down (nothing listens on port 1); libpq moves on to the next.
        guard let at = url.firstIndex(of: "@"), url[at...].contains("/") else {
            Issue.record("the test URL \(url) names no host")
            return
        }
        let separator = url.contains("?") ? "&" : "?"
        let multi = url[...at] + "127.0.0.1:1," + url[url.index(after: at)...] + separator + "target_session_attrs=read-write"
        #expect(DatabaseConfiguration.problem(withURL: multi) == nil)
        let database = Database(
            configuration: DatabaseConfiguration(url: multi, poolSize: 1, connectTimeout: .seconds(5)),
            logger: TestPostgres.logger
        )
        try await database.execute("CREATE TABLE written (id int)")
        try await database.execute("INSERT INTO written VALUES (1)")
        #expect(try await database.query("SELECT count(*) AS n FROM written").single().decode("n", as: Int.self) == 1)
        await database.shutdown()
    }

    @Test("a server that cannot be reached gives an unavailable error, not a crash")
    func unreachableServer() async throws {
        let database = Database(
            configuration: DatabaseConfiguration(url: "postgresql://postgres@127.0.0.1:1/none", poolSize: 1, connectTimeout: .seconds(1)),
            logger: TestPostgres.logger
        )
        let error = await #expect(throws: DatabaseError.self) { try await database.query("SELECT 1") }
        #expect(error?.code == .connectionFailed)
        #expect(error?.isUnavailable == true)
        #expect(database.statistics.leased == 0)
        await database.shutdown()
    }

    @Test("a connection that breaks in use is a lost connection, and the pool's next work gets a new one")
    func connectionLostInUse() async throws {
        try await TestPostgres.withDatabase(poolSize: 1) { database, _ in
            let before = try await database.query("SELECT pg_backend_pid() AS pid").single().decode("pid", as: Int.self)
            // The session ends while its statement runs, as in a switch-over.
            let lost = await #expect(throws: DatabaseError.self) {
                try await database.transaction { tx in _ = try tx.query("SELECT pg_terminate_backend(pg_backend_pid())") }
            }
            #expect(lost?.isConnectionLost == true, "\(String(describing: lost))")
            #expect(lost?.isUnavailable == true)
            let after = try await database.query("SELECT pg_backend_pid() AS pid").single().decode("pid", as: Int.self)
            #expect(after != before)
            // A refused statement is no lost connection.
            let refused = await #expect(throws: DatabaseError.self) { try await database.query("SELECT 1/0") }
            #expect(refused?.isConnectionLost == false)
        }
    }

    @Test("work declared lag-tolerant goes to the replica pool, everything else to the primary, and to the primary when the replica is away")
    func lagTolerantReadsGoToTheReplica() async throws {
        try await TestPostgres.withDatabase { primary, _ in
            try await TestPostgres.withDatabase { standby, standbyURL in
                for (pool, name) in [(primary, "primary"), (standby, "standby")] {
                    try await pool.execute("CREATE TABLE node (name text)")
                    try await pool.execute("INSERT INTO node VALUES (\(name))")
                }
                let replica = TestPostgres.database(url: standbyURL, poolSize: 1)
                let database = Database(configuration: primary.configuration, replica: replica, logger: TestPostgres.logger)
                func node() async throws -> String { try await database.query("SELECT name FROM node").single().decode("name") }
                #expect(try await node() == "primary")
                try await Database.$lagTolerant.withValue(true) {
                    #expect(try await node() == "standby")
                    let inTransaction = try await database.transaction { tx in
                        try tx.query("SELECT name FROM node").single().decode("name", as: String.self)
                    }
                    #expect(inTransaction == "standby")
                }
                #expect(try await node() == "primary", "outside the declared work, the primary")
                await database.shutdown()

                let away = Database(
                    configuration: DatabaseConfiguration(url: "postgresql://postgres@127.0.0.1:1/none", poolSize: 1, connectTimeout: .seconds(2)),
                    logger: TestPostgres.logger
                )
                let fallingBack = Database(configuration: primary.configuration, replica: away, logger: TestPostgres.logger)
                let served = try await Database.$lagTolerant.withValue(true) {
                    try await fallingBack.query("SELECT name FROM node").single().decode("name", as: String.self)
                }
                #expect(served == "primary")
                await fallingBack.shutdown()
            }
        }
    }

    @Test("after PostgreSQL restarts, the same pool serves again without being recreated")
    func recoversAfterRestart() async throws {
        let cluster = try await offload { try PrivateCluster() }
        defer { cluster.remove() }
        let database = TestPostgres.database(url: cluster.url, poolSize: 3)
        // Open every connection so all of them are broken by the restart.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { try await database.execute("SELECT pg_sleep(0.05)") } }
            try await group.waitForAll()
        }
        let before = try await database.query("SELECT pg_backend_pid() AS pid").single().decode("pid", as: Int.self)

        try await offload { try cluster.server.restart() }

        for _ in 0..<6 {
            let row = try await database.query("SELECT pg_backend_pid() AS pid").single()
            #expect(try row.decode("pid", as: Int.self) != before)
        }
        #expect(database.statistics.reconnects >= 1)

        try await offload { try cluster.server.stop() }
        let down = await #expect(throws: DatabaseError.self) { try await database.query("SELECT 1") }
        #expect(down?.isUnavailable == true)

        _ = try await offload { try cluster.server.start(logger: TestPostgres.logger) }
        #expect(try await database.query("SELECT 1 AS one").single().decode("one", as: Int.self) == 1)
        await database.shutdown()
    }

    @Test("a shut-down pool refuses work with a clear error")
    func shutdownRefuses() async throws {
        try await TestPostgres.withDatabase { database, _ in
            await database.shutdown()
            let error = await #expect(throws: DatabaseError.self) { try await database.query("SELECT 1") }
            #expect(error?.code == .poolClosed)
        }
    }
    @Test("statements queued together share a round trip, and one failure stays its own")
    func pipelinedStatements() async throws {
        try await TestPostgres.withDatabase(poolSize: 1) { database, _ in
            try await withThrowingTaskGroup(of: (Int, Result<Int, DatabaseError>).self) { group in
                // Occupy the only worker until the statements below have queued up behind it.
                let held = Holder()
                group.addTask {
                    try await held.occupy(database)
                    return (-1, .success(0))
                }
                try await eventually("the holder to take the only worker") { database.statistics.leased == 1 }
                for value in 0..<12 {
                    group.addTask {
                        do {
                            // 5 divides by zero; 7 is planned per run (never prepared).
                            let divisor = value == 5 ? 0 : 1
                            let sql: SQL = "SELECT \(value)::int / \(divisor)::int AS v"
                            let row = try await database.query(value == 7 ? sql.plannedForEachRun() : sql).single()
                            return (value, .success(try row.decode("v", as: Int.self)))
                        } catch let error as DatabaseError {
                            return (value, .failure(error))
                        }
                    }
                }
                try await eventually("the statements to queue") { database.statistics.waiting == 12 }
                held.release()
                var outcomes: [Int: Result<Int, DatabaseError>] = [:]
                for try await (value, outcome) in group where value >= 0 { outcomes[value] = outcome }
                #expect(outcomes.count == 12)
                for value in 0..<12 where value != 5 {
                    #expect((try? outcomes[value]?.get()) == value)
                }
                guard case .failure(let error) = outcomes[5] else {
                    Issue.record("division by zero did not fail")
                    return
                }
                #expect(error.sqlState == "22012")
            }
            #expect(try await database.query("SELECT 1 AS one").single().decode("one", as: Int.self) == 1)
            #expect(database.statistics.leased == 0)
        }
    }

    @Test("a pipelined batch with large results and large parameters completes")
    func largePipelinedBatch() async throws {
        try await TestPostgres.withDatabase(poolSize: 1) { database, _ in
            let text = String(repeating: "x", count: 200_000)
            try await withThrowingTaskGroup(of: Int.self) { group in
                let held = Holder()
                group.addTask {
                    try await held.occupy(database)
                    return 0
                }
                try await eventually("the holder to take the only worker") { database.statistics.leased == 1 }
                for _ in 0..<16 {
                    group.addTask {
                        let row = try await database.query("SELECT length(\(text)) AS n, repeat('y', 300000) AS big").single()
                        return try row.decode("n", as: Int.self)
                    }
                }
                try await eventually("the statements to queue") { database.statistics.waiting == 16 }
                held.release()
                var lengths: [Int] = []
                for try await length in group where length > 0 { lengths.append(length) }
                #expect(lengths == Array(repeating: 200_000, count: 16))
            }
        }
    }
}

/// Holds a pool's worker (polling the server every 10 ms) until released, so a test can queue
/// work behind it without racing a fixed sleep.
private final class Holder: Sendable {
    private let released = Atomic<Bool>(false)

    func occupy(_ database: Database) async throws {
        try await database.withConnection { [self] connection in
            let deadline = ContinuousClock.now + .seconds(30)
            while !released.load(ordering: .acquiring), ContinuousClock.now < deadline {
                try connection.execute("SELECT pg_sleep(0.01)")
            }
        }
    }

    func release() {
        released.store(true, ordering: .releasing)
    }
}
