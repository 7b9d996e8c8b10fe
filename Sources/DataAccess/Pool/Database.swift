public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// The one door to PostgreSQL: a bounded pool of libpq connections with an async API.
///
/// libpq blocks, so every statement runs on one of the pool's own threads (a `NIOThreadPool`
/// with as many threads as connections), never on Swift's cooperative pool. Callers beyond
/// the pool size wait in FIFO order up to ``DatabaseConfiguration/acquireTimeout``.
///
/// A connection broken by a server restart is noticed when it is next leased and reconnected,
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
        /// The configured number of connections.
        public let size: Int
        /// Connections in use now.
        public let leased: Int
        /// Open connections waiting for work.
        public let idle: Int
        /// Callers waiting for a connection.
        public let waiting: Int
        /// Acquire timeouts since start.
        public let timeouts: Int
        /// Connections that were found broken and reopened or dropped since start.
        public let reconnects: Int
    }

    /// The configuration the pool was created with.
    public let configuration: DatabaseConfiguration
    let logger: Logger
    private let threads: NIOThreadPool
    private let state: Mutex<PoolState>
    private let eventLoop: any EventLoop

    /// Creates a pool; connections open lazily on first use.
    ///
    /// - Parameters:
    ///   - configuration: The URL and pool limits.
    ///   - logger: Receives connection events and server notices.
    public init(configuration: DatabaseConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.threads = NIOThreadPool(numberOfThreads: max(configuration.poolSize, 1))
        self.threads.start()
        self.state = Mutex(PoolState())
        self.eventLoop = MultiThreadedEventLoopGroup.singleton.next()
    }

    // MARK: - Running statements

    /// Leases a connection and runs `body` with it on a pool thread.
    ///
    /// - Parameter body: Synchronous work on the connection; it cannot suspend, which keeps a
    ///   connection's use short and on one thread.
    /// - Returns: What `body` returned.
    /// - Throws: ``DatabaseError`` (pool timeout, connection failure, server errors) or what
    ///   `body` threw.
    public func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (DatabaseConnection) throws -> Result
    ) async throws -> Result {
        let lease = try await acquire()
        do {
            return try await threads.runIfActive { [self] in
                var connection: PGConnection?
                do {
                    connection = try prepare(lease)
                    let result = try body(DatabaseConnection(connection!))
                    release(connection!)
                    return result
                } catch {
                    release(connection)
                    throw error
                }
            }
        } catch let error as NIOThreadPoolError.ThreadPoolInactive {
            _ = error
            throw DatabaseError(code: .poolClosed, message: "the database pool is shut down")
        }
    }

    /// Runs `body` in a transaction: commit when it returns, roll back when it throws.
    ///
    /// - Parameter body: The transaction's work.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw, or ``DatabaseError``.
    public func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (Transaction) throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in try connection.transaction(body) }
    }

    /// Runs one statement outside a transaction and returns its rows.
    ///
    /// - Throws: ``DatabaseError``.
    public func query(_ sql: SQL) async throws -> Rows {
        try await withConnection { connection in try connection.query(sql) }
    }

    /// Runs one statement that returns no rows.
    ///
    /// - Returns: The number of rows it touched.
    /// - Throws: ``DatabaseError``.
    @discardableResult
    public func execute(_ sql: SQL) async throws -> Int {
        try await withConnection { connection in try connection.execute(sql) }
    }

    /// Checks that the server answers (`SELECT 1`), for `/health`.
    ///
    /// - Throws: ``DatabaseError`` when it does not.
    public func ping() async throws {
        _ = try await query("SELECT 1")
    }

    /// The pool's current use.
    public var statistics: Statistics {
        state.withLock { state in
            Statistics(
                size: configuration.poolSize,
                leased: state.leased,
                idle: state.idle.count,
                waiting: state.waiters.count,
                timeouts: state.timeouts,
                reconnects: state.reconnects
            )
        }
    }

    // MARK: - Service

    /// Waits for graceful shutdown, then closes the pool.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Fails waiting callers, closes idle connections and stops the pool's threads after the
    /// running statements finish. Safe to call more than once.
    public func shutdown() async {
        let (waiters, idle): ([PoolState.Waiter], [PGConnection]) = state.withLock { state in
            guard !state.closed else { return ([], []) }
            state.closed = true
            let waiters = Array(state.waiters)
            state.waiters.removeAll()
            let idle = state.idle
            state.idle.removeAll()
            return (waiters, idle)
        }
        for waiter in waiters {
            waiter.timeout?.cancel()
            waiter.continuation.resume(throwing: DatabaseError(code: .poolClosed, message: "the database pool is shut down"))
        }
        for connection in idle { connection.close() }
        try? await threads.shutdownGracefully()
    }

    // MARK: - Leasing

    private func acquire() async throws -> PoolState.Lease {
        let timeout = configuration.acquireTimeout
        let limit = configuration.poolSize
        let maxWaiting = configuration.maxWaiting
        // Fast path, without a continuation: a connection (or room for one) is free now.
        let immediate = state.withLock { state -> PoolState.Lease? in
            guard !state.closed, state.waiters.isEmpty else { return nil }
            if let connection = state.idle.popLast() {
                state.leased += 1
                return .existing(connection)
            }
            if state.leased < limit {
                state.leased += 1
                return .new
            }
            return nil
        }
        if let immediate { return immediate }
        let id = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PoolState.Lease, any Error>) in
                enum Decision {
                    case lease(PoolState.Lease)
                    case fail(DatabaseError)
                    case wait
                }
                let decision = state.withLock { state -> Decision in
                    if state.closed { return .fail(DatabaseError(code: .poolClosed, message: "the database pool is shut down")) }
                    if let connection = state.idle.popLast() {
                        state.leased += 1
                        return .lease(.existing(connection))
                    }
                    if state.leased < limit {
                        state.leased += 1
                        return .lease(.new)
                    }
                    if state.waiters.count >= maxWaiting {
                        return .fail(
                            DatabaseError(
                                code: .poolExhausted,
                                message: "\(state.waiters.count) requests are already waiting for a database connection"
                            )
                        )
                    }
                    let scheduled = eventLoop.scheduleTask(in: .milliseconds(timeout.milliseconds)) { [self] in
                        timeOut(waiter: id)
                    }
                    state.waiters.append(PoolState.Waiter(id: id, continuation: continuation, timeout: scheduled))
                    return .wait
                }
                switch decision {
                case .lease(let lease): continuation.resume(returning: lease)
                case .fail(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in state.removeWaiter(id: id) }
            waiter?.timeout?.cancel()
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    private func timeOut(waiter id: Int) {
        let waiter = state.withLock { state -> PoolState.Waiter? in
            let waiter = state.removeWaiter(id: id)
            if waiter != nil { state.timeouts += 1 }
            return waiter
        }
        waiter?.continuation.resume(
            throwing: DatabaseError(
                code: .poolTimeout,
                message: "no database connection became free within \(configuration.acquireTimeout) (pool size \(configuration.poolSize))"
            )
        )
    }

    /// Returns a connection to the pool (or `nil` when it was broken and dropped), handing it
    /// straight to the longest-waiting caller if there is one.
    private func release(_ connection: PGConnection?) {
        var usable = connection
        if let connection, connection.isBroken || connection.inTransaction {
            // A closure left a transaction open or the server went away: never hand it on.
            if !connection.isBroken, (try? connection.query("ROLLBACK")) != nil, !connection.inTransaction {
                usable = connection
            } else {
                connection.close()
                usable = nil
            }
        }
        let (waiter, lease): (PoolState.Waiter?, PoolState.Lease?) = state.withLock { state in
            if let waiter = state.waiters.popFirst() {
                return (waiter, usable.map { .existing($0) } ?? .new)
            }
            state.leased -= 1
            if let usable {
                if state.closed { usable.close() } else { state.idle.append(usable) }
            }
            return (nil, nil)
        }
        if let waiter, let lease {
            waiter.timeout?.cancel()
            waiter.continuation.resume(returning: lease)
        }
    }

    /// Opens a new connection or revalidates a pooled one. Runs on a pool thread.
    private func prepare(_ lease: PoolState.Lease) throws -> PGConnection {
        switch lease {
        case .existing(let connection):
            switch connection.revalidate() {
            case .healthy:
                return connection
            case .reconnected:
                state.withLock { $0.reconnects += 1 }
                logger.warning("a pooled PostgreSQL connection was closed by the server; reconnected")
                return connection
            case .broken:
                connection.close()
                state.withLock { $0.reconnects += 1 }
                return try Self.open(configuration, logger: logger)
            }
        case .new:
            return try Self.open(configuration, logger: logger)
        }
    }

    private static func open(_ configuration: DatabaseConfiguration, logger: Logger) throws -> PGConnection {
        try PGConnection(
            conninfo: configuration.url,
            statementTimeoutMilliseconds: Int(configuration.statementTimeout.milliseconds),
            connectTimeoutSeconds: Int(configuration.connectTimeout.milliseconds / 1000),
            logger: logger
        )
    }
}
