/// An open transaction, handed to the closure of ``Database/transaction(_:)``.
///
/// Every statement run through it commits or rolls back together. Features write their
/// rows, the audit record and any outbox events through the same transaction, so either all
/// of them land or none does.
public final class Transaction: SQLExecutor {
    let connection: PGConnection
    var commitActions: [@Sendable () -> Void] = []
    /// Statements to run just before `COMMIT`, in the same round trip.
    var atCommit: [SQL] = []
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

    /// Runs a statement that returns nothing just before `COMMIT`, sent in the same round trip
    /// as the `COMMIT` itself, such as an audit row: the write costs no extra round trip, and if
    /// the statement fails the whole transaction rolls back with its error.
    ///
    /// Statements later in the transaction do not see its effect; use ``query(_:)`` for rows the
    /// transaction reads back.
    public func executeAtCommit(_ sql: SQL) {
        atCommit.append(sql)
    }

    /// Runs `body` inside a savepoint: if it throws, only its own statements are rolled back
    /// and the error is rethrown; the outer transaction stays usable.
    public func savepoint<Result>(_ body: (Transaction) throws -> Result) throws -> Result {
        savepointCounter += 1
        let name = "sp\(savepointCounter)"
        let deferred = atCommit.count
        let actions = commitActions.count
        _ = try connection.query("SAVEPOINT \(identifier: name)")
        do {
            let result = try body(self)
            _ = try connection.query("RELEASE SAVEPOINT \(identifier: name)")
            return result
        } catch {
            _ = try? connection.query("ROLLBACK TO SAVEPOINT \(identifier: name)")
            // What the rolled-back work queued for the commit is rolled back with it.
            atCommit.removeSubrange(deferred...)
            commitActions.removeSubrange(actions...)
            throw error
        }
    }
}
