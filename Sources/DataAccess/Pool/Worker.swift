import Logging
import NIOCore

/// One pool thread and the connection it owns.
struct Worker {
    let queue: WorkQueue
    let configuration: DatabaseConfiguration
    let logger: Logger

    func run() {
        var connection: PGConnection?
        while let batch = queue.take(limit: Database.pipelineLimit) {
            for job in batch { job.timeout?.cancel() }
            var resumptions: [() -> Void] = []
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
            queue.withLock { $0.reconnects += 1 }
            logger.warning("a pooled PostgreSQL connection was closed by the server; reconnected")
            return connection
        case .broken:
            connection.close()
            queue.withLock { $0.reconnects += 1 }
            return try open()
        }
    }

    private func open() throws -> PGConnection {
        try PGConnection(
            conninfo: configuration.url,
            statementTimeoutMilliseconds: Int(configuration.statementTimeout.milliseconds),
            connectTimeoutSeconds: Int(configuration.connectTimeout.milliseconds / 1000),
            logger: logger
        )
    }

    private func execute(_ batch: [WorkQueue.Job], on connection: PGConnection) -> [() -> Void] {
        if batch.count == 1 {
            switch batch[0].work {
            case .closure(let run): return [run(connection)]
            case .statement(let sql, let deliver): return [deliver(Result { try connection.query(sql) })]
            }
        }
        let statements = batch.compactMap { job -> (SQL, (Result<Rows, any Error>) -> (() -> Void))? in
            if case .statement(let sql, let deliver) = job.work { return (sql, deliver) }
            return nil
        }
        let results = connection.pipeline(statements.map(\.0))
        return zip(statements, results).map { statement, result in statement.1(result) }
    }

    /// Never hands on a connection left in a transaction or broken.
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
