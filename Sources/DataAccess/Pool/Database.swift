import Foundation
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// The one door to PostgreSQL: a bounded pool of libpq connections with an async API.
///
/// libpq blocks, so each connection belongs to a worker thread of the pool's own (one per
/// connection), never to Swift's cooperative pool. Callers queue work in FIFO order and an idle
/// worker takes it: one hop to the worker, one back. When several single statements
/// (``query(_:)``, ``execute(_:)``) wait in a row, a worker sends them together in one round trip
/// (libpq pipeline mode), each in its own sync segment, so one failure does not affect the
/// others. Work that waits longer than ``DatabaseConfiguration/acquireTimeout`` fails with
/// ``DatabaseError/Code/poolTimeout``; beyond ``DatabaseConfiguration/maxWaiting`` waiting
/// callers, new work fails at once with ``DatabaseError/Code/poolExhausted``.
///
/// A connection broken by a server restart is noticed before its next use and reconnected,
/// so a PostgreSQL restart does not need a host restart. When the server is down, calls fail
/// with an error whose ``DatabaseError/isUnavailable`` is true (the HTTP edge answers 503).
///
/// ```swift
/// let database = Database(configuration: .init(url: "postgresql://127.0.0.1:5432/kooperator"), logger: logger)
/// let count = try await database.transaction { tx in
///     try tx.execute("UPDATE supervision.assignments SET state = \(state) WHERE id = \(id)")
/// }
/// ```
///
/// `Database` is a `Service`: run it in the host's `ServiceGroup` and it closes its
/// connections on graceful shutdown.
public final class Database: Sendable, Service {
    /// A snapshot of the pool, for `/metrics` and `kooperator features`.
    public struct Statistics: Sendable, Hashable {
        /// The configured number of connections (one worker thread each).
        public let size: Int
        /// Workers running work now.
        public let leased: Int
        /// Open connections whose worker waits for work.
        public let idle: Int
        /// Work waiting for a worker.
        public let waiting: Int
        /// Acquire timeouts since start.
        public let timeouts: Int
        /// Connections that were found broken and reopened since start.
        public let reconnects: Int
    }

    /// The configuration the pool was created with.
    public let configuration: DatabaseConfiguration
    /// The pool on a standby (`database.readUrl`) that serves work declared lag-tolerant
    /// (``lagTolerant``); `nil`: all work goes to this pool.
    public let replica: Database?
    let logger: Logger
    private let queue: WorkQueue
    private let lastJobID = Atomic<Int>(0)

    /// The most single statements a worker sends in one round trip.
    static let pipelineLimit = 16

    /// Creates a pool and starts its worker threads; connections open lazily on first use.
    ///
    /// - Parameters:
    ///   - configuration: The URL and pool limits.
    ///   - replica: A pool on a standby for work declared lag-tolerant; it is shut down with this one.
    ///   - logger: Receives connection events and server notices.
    public init(configuration: DatabaseConfiguration, replica: Database? = nil, logger: Logger) {
        self.configuration = configuration
        self.replica = replica
        self.logger = logger
        let workers = max(configuration.poolSize, 1)
        self.queue = WorkQueue(configuration: configuration, workers: workers, eventLoop: MultiThreadedEventLoopGroup.singleton.next())
        for index in 0..<workers {
            // The thread holds the worker, the worker the queue; never the pool itself, so a
            // dropped pool is freed and its deinit ends the threads.
            let worker = Worker(queue: queue, configuration: configuration, logger: logger)
            let thread = Thread { worker.run() }
            thread.name = "kooperator-db-\(index)"
            thread.start()
        }
    }

    /// A pool dropped without ``shutdown()`` still ends its threads once their work is done.
    deinit {
        queue.close()
    }

    // MARK: - Running statements

    /// Runs `body` with a connection of the pool, on the pool's thread that owns it.
    ///
    /// - Parameter body: Synchronous work on the connection; it cannot suspend, which keeps a
    ///   connection's use short and on one thread.
    /// - Returns: What `body` returned.
    /// - Throws: ``DatabaseError`` (pool timeout, connection failure, server errors) or what
    ///   `body` threw.
    public func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (DatabaseConnection) throws -> Result
    ) async throws -> Result {
        if let held = taskTransaction {
            // Inside the task's transaction: a savepoint, so a statement that fails and is caught
            // does not abort the transaction, and a `transaction` of the connection nests.
            return try await held.run { transaction in
                try transaction.savepoint { try body(DatabaseConnection(transaction.connection, joining: $0)) }
            }
        }
        // Asked only with a standby: the call alone costs every read an async frame.
        if replica != nil, case .served(let result) = try await onStandby({ try await $0.withConnection(body) }) { return result }
        return try await submit { (continuation: CheckedContinuation<Result, any Error>) in
            .closure { connection in
                let outcome = Swift.Result { try body(DatabaseConnection(connection)) }
                return { continuation.resume(with: outcome) }
            }
        }
    }

    /// Runs `body` in a transaction: commit when it returns, roll back when it throws.
    ///
    /// Inside ``withTaskTransaction(_:)`` it is a savepoint of the task's transaction instead:
    /// rolled back alone when `body` throws, committed only with the task's transaction.
    ///
    /// - Parameter body: The transaction's work.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw, or ``DatabaseError``.
    public func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (Transaction) throws -> Result
    ) async throws -> Result {
        if let held = taskTransaction { return try await held.run { transaction in try transaction.savepoint(body) } }
        return try await withConnection { connection in try connection.transaction(body) }
    }

    /// Runs one statement outside a transaction and returns its rows. Statements queued
    /// together may share a round trip.
    ///
    /// - Throws: ``DatabaseError``.
    public func query(_ sql: SQL) async throws -> Rows {
        if let held = taskTransaction { return try await held.run { transaction in try transaction.savepoint { try $0.query(sql) } } }
        if replica != nil, case .served(let rows) = try await onStandby({ try await $0.query(sql) }) { return rows }
        return try await submit { (continuation: CheckedContinuation<Rows, any Error>) in
            .statement(sql) { outcome in { continuation.resume(with: outcome) } }
        }
    }

    /// Runs one statement that returns no rows.
    ///
    /// - Returns: The number of rows it touched.
    /// - Throws: ``DatabaseError``.
    @discardableResult
    public func execute(_ sql: SQL) async throws -> Int {
        try await query(sql).affectedRows
    }

    /// Checks that the server answers (`SELECT 1`), for `/health`.
    ///
    /// - Throws: ``DatabaseError`` when it does not.
    public func ping() async throws {
        _ = try await query("SELECT 1")
    }

    // MARK: - Reads that may lag

    /// Whether the current task's work only reads, and may read data a moment old: a report or
    /// an export declared lag-tolerant. While it is `true`, a pool with a ``replica`` sends the
    /// work there, and back here when the standby cannot serve. A page that shows what its user
    /// just wrote never sets it, so it reads the primary.
    ///
    /// ```swift
    /// let report = try await Database.$lagTolerant.withValue(true) { try await store.report(for: year) }
    /// ```
    @TaskLocal public static var lagTolerant = false

    /// What the standby did with a piece of work.
    private enum StandbyOutcome<Value> {
        case served(Value)
        /// The work is not lag-tolerant, there is no standby, or it is away: the primary serves.
        case notServed
    }

    /// Runs lag-tolerant work on the ``replica``, if there is one and it answers.
    private func onStandby<Value>(_ work: (Database) async throws -> Value) async throws -> StandbyOutcome<Value> {
        // The stored property first: without a replica, no task-local is read on the hot path.
        guard let replica, Self.lagTolerant else { return .notServed }
        do {
            return .served(try await work(replica))
        } catch let error as DatabaseError where error.isUnavailable {
            logger.notice("the standby cannot serve a lag-tolerant read; the primary serves it", metadata: ["error": "\(error)"])
            return .notServed
        }
    }

    /// The pool's current use.
    public var statistics: Statistics { queue.statistics }

    // MARK: - Service

    /// Waits for graceful shutdown, then closes the pool.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Fails waiting work, lets running work finish, closes the connections and ends the
    /// worker threads, the ``replica``'s too. Safe to call more than once.
    public func shutdown() async {
        await replica?.shutdown()
        await queue.shutdown()
    }

    // MARK: - Queueing

    func submit<Value: Sendable>(
        _ make: (CheckedContinuation<Value, any Error>) -> WorkQueue.Work
    ) async throws -> Value {
        let id = lastJobID.wrappingAdd(1, ordering: .relaxed).newValue
        let deadline = NIODeadline.now() + .milliseconds(configuration.acquireTimeout.milliseconds)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                let job = WorkQueue.Job(id: id, work: make(continuation), deadline: deadline) { error in
                    { continuation.resume(throwing: error) }
                }
                if let refusal = queue.enqueue(job) { continuation.resume(throwing: refusal) }
            }
        } onCancel: {
            queue.cancel(id: id)
        }
    }
}
