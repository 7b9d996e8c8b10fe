extension Database {
    /// The transaction the current task holds on a pool, set by ``withTaskTransaction(_:)``.
    @TaskLocal static var heldTransaction: TaskTransaction?

    /// The current task's transaction on this pool, if it holds one.
    var taskTransaction: TaskTransaction? {
        guard let held = Self.heldTransaction, held.pool == ObjectIdentifier(self) else { return nil }
        return held
    }

    /// Runs `body` with every statement the task sends to this pool in one transaction, held open
    /// on one connection while `body` runs: ``transaction(_:)`` becomes a savepoint of it, and
    /// ``query(_:)``, ``execute(_:)`` and ``withConnection(_:)`` run in it (each in a savepoint,
    /// so a failure that is caught leaves it usable). It commits when `body` returns and rolls back
    /// when `body` throws; the statements a transaction held for its `COMMIT` and its commit actions
    /// wait for this one.
    ///
    /// This is how work whose own code opens transactions (a feature's handler) is made atomic with
    /// what its caller writes before and after it, such as an idempotency key and the response it
    /// stores. The connection is held for all of `body`, so keep `body` short; a task that leaves the
    /// transaction idle for a minute has it rolled back. Inside a task transaction of the same
    /// pool, `body` simply joins it.
    ///
    /// ```swift
    /// let response = try await database.withTaskTransaction {
    ///     try await database.execute("INSERT INTO kernel.idempotency_keys … ")
    ///     let response = try await handler()   // its store's `database.transaction` joins
    ///     try await database.execute("UPDATE kernel.idempotency_keys SET status = … ")
    ///     return response
    /// }
    /// ```
    ///
    /// - Parameter body: The task's work.
    /// - Returns: What `body` returned, once committed.
    /// - Throws: What `body` threw (after the rollback), or ``DatabaseError`` (no connection in time,
    ///   `BEGIN` or `COMMIT` failed).
    public func withTaskTransaction<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        if taskTransaction != nil { return try await body() }
        let held = TaskTransaction(pool: ObjectIdentifier(self))
        try await submit { (continuation: CheckedContinuation<Void, any Error>) in
            .closure { connection in
                do {
                    try connection.executeScript("BEGIN")
                } catch {
                    return { continuation.resume(throwing: error) }
                }
                // The task goes on now, while this worker serves it until it ends the transaction.
                continuation.resume()
                held.serve(Transaction(connection), on: connection)
                return {}
            }
        }
        let result: Result
        do {
            result = try await Self.$heldTransaction.withValue(held) { try await body() }
        } catch {
            try? await held.end(commit: false)
            throw error
        }
        try await held.end(commit: true)
        return result
    }

    /// Runs `body` in a transaction of its own even inside ``withTaskTransaction(_:)``: for what must
    /// be kept when the task's work fails and rolls back, such as a count of refused attempts.
    ///
    /// - Parameter body: The transaction's work.
    /// - Returns: What `body` returned, once committed.
    /// - Throws: What `body` threw, or ``DatabaseError``.
    public func separateTransaction<Result: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> Result) async throws -> Result {
        try await Self.$heldTransaction.withValue(nil) { try await transaction(body) }
    }
}
