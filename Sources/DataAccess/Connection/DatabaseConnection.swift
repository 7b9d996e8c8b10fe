/// A connection leased from the pool for the duration of one closure.
///
/// It is not `Sendable` on purpose: it belongs to the pool thread running the closure and
/// cannot escape it.
public final class DatabaseConnection: SQLExecutor {
    let connection: PGConnection
    /// The task's transaction this connection works in (``Database/withTaskTransaction(_:)``), if any.
    let joined: Transaction?

    init(_ connection: PGConnection, joining transaction: Transaction? = nil) {
        self.connection = connection
        self.joined = transaction
    }

    public func query(_ sql: SQL) throws -> Rows {
        try connection.query(sql)
    }

    /// Runs `body` in a transaction: `COMMIT` when it returns, `ROLLBACK` when it throws. Inside
    /// the task's transaction (``Database/withTaskTransaction(_:)``), a savepoint of it.
    ///
    /// - Parameter body: The work; every statement it runs through the ``Transaction`` is part
    ///   of the transaction.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw, or ``DatabaseError`` when `BEGIN` or `COMMIT` fails.
    public func transaction<Result>(_ body: (Transaction) throws -> Result) throws -> Result {
        if let joined { return try joined.savepoint(body) }
        try connection.executeScript("BEGIN")
        let transaction = Transaction(connection)
        let result: Result
        do {
            result = try body(transaction)
            try connection.commit(after: transaction.atCommit)
        } catch {
            if connection.inTransaction { _ = try? connection.query("ROLLBACK") }
            throw error
        }
        for action in transaction.commitActions { action() }
        return result
    }

    /// Runs a script of statements without parameters. Internal: only migrations need it.
    func executeScript(_ text: String) throws {
        try connection.executeScript(text)
    }
}
