import Dispatch
import Foundation

/// A transaction held open on one pooled connection while its task does asynchronous work between
/// statements (``Database/withTaskTransaction(_:)``).
///
/// The connection's worker thread serves it: it waits for the task's next piece of work, runs it on
/// the transaction, and ends the transaction when the task says so. The task's work arrives as
/// commands in a queue, so child tasks sharing the transaction take turns. A task that neither
/// sends work nor ends the transaction for ``idleLimit`` has it rolled back, so a connection is
/// never held for ever.
final class TaskTransaction: @unchecked Sendable {
    private enum Command {
        case run((Transaction) -> Void)
        case end(commit: Bool, (Result<Void, any Error>) -> Void)
    }

    /// The pool whose connection holds it: only that pool's work joins it.
    let pool: ObjectIdentifier
    /// How long the worker waits for the task's next command before it rolls back.
    static let idleLimit: DispatchTimeInterval = .seconds(60)

    private let lock = NSLock()
    private var commands: [Command] = []
    /// Set once the end was asked for or the idle limit passed; later work is refused.
    private var closed = false
    private let posted = DispatchSemaphore(value: 0)

    init(pool: ObjectIdentifier) {
        self.pool = pool
    }

    /// Runs `body` on the transaction, on the worker thread that holds it.
    ///
    /// - Throws: What `body` threw, or ``DatabaseError`` when the transaction has ended.
    func run<Result: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            if !post(.run { transaction in continuation.resume(with: Swift.Result { try body(transaction) }) }) {
                continuation.resume(throwing: Self.endedError)
            }
        }
    }

    /// Commits (and then runs the commit actions) or rolls back.
    ///
    /// - Throws: ``DatabaseError`` when `COMMIT` fails (the transaction is then rolled back), or
    ///   when the transaction had already ended.
    func end(commit: Bool) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            if !post(.end(commit: commit) { continuation.resume(with: $0) }) {
                continuation.resume(throwing: Self.endedError)
            }
        }
    }

    /// Serves the task's commands on `connection`, inside the open `transaction`, until the end or
    /// the idle limit. Runs on the worker's thread.
    func serve(_ transaction: Transaction, on connection: PGConnection) {
        while true {
            let waited = posted.wait(timeout: .now() + Self.idleLimit)
            lock.lock()
            guard !commands.isEmpty else {
                if waited == .timedOut {
                    closed = true
                    lock.unlock()
                    _ = try? connection.query("ROLLBACK")
                    return
                }
                lock.unlock()
                continue
            }
            let command = commands.removeFirst()
            lock.unlock()
            switch command {
            case .run(let work):
                work(transaction)
            case .end(let commit, let done):
                guard commit else {
                    _ = try? connection.query("ROLLBACK")
                    return done(.success(()))
                }
                do {
                    try connection.commit(after: transaction.atCommit)
                } catch {
                    if connection.inTransaction { _ = try? connection.query("ROLLBACK") }
                    return done(.failure(error))
                }
                for action in transaction.commitActions { action() }
                return done(.success(()))
            }
        }
    }

    private func post(_ command: Command) -> Bool {
        lock.lock()
        guard !closed else {
            lock.unlock()
            return false
        }
        if case .end = command { closed = true }
        commands.append(command)
        lock.unlock()
        posted.signal()
        return true
    }

    private static var endedError: DatabaseError {
        DatabaseError(code: .connectionFailed, message: "the task's transaction has ended (idle for \(idleLimit))")
    }
}
