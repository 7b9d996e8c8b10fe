/// Runs statements synchronously on a leased connection: a ``DatabaseConnection`` or a
/// ``Transaction``. Code that takes `some SQLExecutor` works inside and outside transactions.
public protocol SQLExecutor {
    /// Runs one statement and returns its rows.
    ///
    /// - Parameter sql: The statement; interpolated values are bound parameters.
    /// - Returns: The rows (empty for statements that return none).
    /// - Throws: ``DatabaseError``.
    func query(_ sql: SQL) throws -> Rows
}

// MARK: - Default implementations

extension SQLExecutor {
    /// Runs a statement that returns no rows.
    ///
    /// - Returns: The number of rows inserted, updated or deleted.
    /// - Throws: ``DatabaseError``.
    @discardableResult
    public func execute(_ sql: SQL) throws -> Int {
        try query(sql).affectedRows
    }

    /// Runs a statement expected to return one row.
    ///
    /// - Returns: The first row, or `nil` when the result is empty.
    /// - Throws: ``DatabaseError``.
    public func queryFirst(_ sql: SQL) throws -> Row? {
        try query(sql).first
    }
}
