import Dispatch
import Foundation
import Logging
import NIOCore

/// One pool thread and the connection it owns. It runs only on its own thread (a `Thread`
/// started by ``Database``), so libpq's blocking calls never touch Swift's cooperative pool.
final class Worker: @unchecked Sendable {
    private let queue: WorkQueue
    private let configuration: DatabaseConfiguration
    private let logger: Logger
    private let wakeUp = DispatchSemaphore(value: 0)

    init(queue: WorkQueue, configuration: DatabaseConfiguration, logger: Logger) {
        self.queue = queue
        self.configuration = configuration
        self.logger = logger
    }

    /// Called by the queue, once per time it took this worker off its idle stack.
    func wake() { wakeUp.signal() }

    /// Called by the queue on the worker's thread, after putting it on the idle stack.
    func sleep() { wakeUp.wait() }

    /// Takes work until the queue is closed and empty, then closes the connection.
    func run() {
        var connection: PGConnection?
        while let batch = queue.next(for: self, connected: connection != nil, limit: Database.pipelineLimit) {
            var resumptions: [() -> Void]
            do {
                let usable = try ready(connection)
                connection = usable
                resumptions = execute(batch, on: usable)
                connection = cleanedUp(usable)
            } catch {
                connection?.close()
                connection = nil
                resumptions = batch.map { $0.fail(error) }
            }
            queue.finish()
            for resume in resumptions { resume() }
        }
        connection?.close()
        queue.workerExited()
    }

    /// The worker's connection, opened or revalidated.
    private func ready(_ connection: PGConnection?) throws -> PGConnection {
        guard let connection else { return try open() }
        switch connection.revalidate() {
        case .healthy:
            return connection
        case .reconnected:
            queue.recordReconnect()
            logger.warning("a pooled PostgreSQL connection was closed by the server; reconnected")
            return connection
        case .broken:
            connection.close()
            queue.recordReconnect()
            return try open()
        }
    }

    private func open() throws -> PGConnection {
        queue.connectGate.wait()
        defer { queue.connectGate.signal() }
        // Back off after failed attempts; the wait is short (at most a second) and on this
        // worker's own thread, so it never blocks the event loop or the cooperative pool.
        let wait = queue.connectBackoff()
        if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.nanoseconds) / 1e9) }
        do {
            let connection = try PGConnection(
                conninfo: configuration.url,
                statementTimeoutMilliseconds: Int(configuration.statementTimeout.milliseconds),
                connectTimeoutSeconds: Int(configuration.connectTimeout.milliseconds / 1000),
                logger: logger
            )
            queue.recordConnect(succeeded: true)
            return connection
        } catch {
            queue.recordConnect(succeeded: false)
            throw error
        }
    }

    private func execute(_ batch: [WorkQueue.Job], on connection: PGConnection) -> [() -> Void] {
        if batch.count == 1 {
            switch batch[0].work {
            case .closure(let run): return [run(connection)]
            case .statement(let sql, let deliver): return [deliver(Result { try connection.query(sql) })]
            }
        }
        // The queue batches statements only.
        var statements: [SQL] = []
        var deliveries: [(Result<Rows, any Error>) -> (() -> Void)] = []
        for job in batch {
            guard case .statement(let sql, let deliver) = job.work else { continue }
            statements.append(sql)
            deliveries.append(deliver)
        }
        return zip(deliveries, connection.pipeline(statements)).map { deliver, result in deliver(result) }
    }

    /// Never keeps a connection left in a transaction or broken.
    private func cleanedUp(_ connection: PGConnection) -> PGConnection? {
        if connection.isBroken {
            connection.close()
            return nil
        }
        if connection.inTransaction {
            if (try? connection.query("ROLLBACK")) != nil, !connection.inTransaction { return connection }
            connection.close()
            return nil
        }
        return connection
    }
}
