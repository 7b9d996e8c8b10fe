/// An open transaction, handed to the closure of ``Database/transaction(_:)``.
///
/// Every statement run through it commits or rolls back together. Features write their
/// rows, the audit record and any outbox events through the same transaction, so either all
/// of them land or none does.
public final class Transaction: SQLExecutor {
    let connection: PGConnection
    var commitActions: [@Sendable () -> Void] = []
    private var savepointCounter = 0

    init(_ connection: PGConnection) {
        self.connection = connection
    }

    public func query(_ sql: SQL) throws -> Rows {
        try connection.query(sql)
    }

    /// Registers work to run after a successful `COMMIT` (and never after a rollback), such as
    /// waking the event dispatcher.
    public func onCommit(_ action: @escaping @Sendable () -> Void) {
        commitActions.append(action)
    }

    /// Runs `body` inside a savepoint: if it throws, only its own statements are rolled back
    /// and the error is rethrown; the outer transaction stays usable.
    public func savepoint<Result>(_ body: (Transaction) throws -> Result) throws -> Result {
        savepointCounter += 1
        let name = "sp\(savepointCounter)"
        _ = try connection.query("SAVEPOINT \(identifier: name)")
        do {
            let result = try body(self)
            _ = try connection.query("RELEASE SAVEPOINT \(identifier: name)")
            return result
        } catch {
            _ = try? connection.query("ROLLBACK TO SAVEPOINT \(identifier: name)")
            throw error
        }
    }
}
