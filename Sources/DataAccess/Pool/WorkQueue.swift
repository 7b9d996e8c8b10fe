import Foundation
import NIOCore

/// The pool's queue of work and its bookkeeping, guarded by one condition lock that idle
/// workers sleep on.
final class WorkQueue: @unchecked Sendable {
    /// What a worker runs; each returns the resumption to call once the worker's bookkeeping is
    /// done, so a caller never sees its own work still counted as running.
    enum Work {
        /// Arbitrary work on the connection (transactions, several statements).
        case closure((PGConnection) -> (() -> Void))
        /// One statement; consecutive ones may share a round trip.
        case statement(SQL, (Result<Rows, any Error>) -> (() -> Void))
    }

    final class Job: @unchecked Sendable {
        let id: Int
        let work: Work
        let fail: (any Error) -> (() -> Void)
        var timeout: Scheduled<Void>?

        init(id: Int, work: Work, fail: @escaping (any Error) -> (() -> Void)) {
            self.id = id
            self.work = work
            self.fail = fail
        }

        var isStatement: Bool {
            if case .statement = work { return true }
            return false
        }
    }

    struct State {
        var jobs = CircularBuffer<Job>()
        var closed = false
        var busy = 0
        var idle = 0
        var liveWorkers: Int
        var timeouts = 0
        var reconnects = 0
        var lastID = 0
        var exitWaiters: [CheckedContinuation<Void, Never>] = []

        mutating func remove(id: Int) -> Job? {
            guard let index = jobs.firstIndex(where: { $0.id == id }) else { return nil }
            return jobs.remove(at: index)
        }
    }

    private let condition = NSCondition()
    private var state: State

    init(workers: Int) {
        state = State(liveWorkers: workers)
    }

    func withLock<Result>(_ body: (inout State) -> Result) -> Result {
        condition.lock()
        defer { condition.unlock() }
        return body(&state)
    }

    func nextID() -> Int {
        withLock { state in
            state.lastID += 1
            return state.lastID
        }
    }

    func signal() {
        condition.lock()
        condition.signal()
        condition.unlock()
    }

    func broadcast() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until there is work (returning up to `limit` statements in a row, or one closure)
    /// or the queue is closed and empty (returning `nil`).
    func take(limit: Int) -> [Job]? {
        condition.lock()
        defer { condition.unlock() }
        while state.jobs.isEmpty && !state.closed {
            state.idle += 1
            condition.wait()
            state.idle -= 1
        }
        guard let first = state.jobs.popFirst() else { return nil }
        var batch = [first]
        if first.isStatement {
            while batch.count < limit, let next = state.jobs.first, next.isStatement {
                batch.append(state.jobs.removeFirst())
            }
        }
        state.busy += 1
        return batch
    }

    /// Marks a worker's batch finished.
    func finish() {
        withLock { $0.busy -= 1 }
    }

    /// Records a worker's exit; the last one wakes those waiting in `shutdown`.
    func workerExited() {
        let waiters = withLock { state -> [CheckedContinuation<Void, Never>] in
            state.liveWorkers -= 1
            guard state.liveWorkers == 0 else { return [] }
            defer { state.exitWaiters.removeAll() }
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
