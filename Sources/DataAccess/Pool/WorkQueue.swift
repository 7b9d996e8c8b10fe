import Dispatch
import Foundation
import NIOCore

/// The pool's queue of work and its bookkeeping, guarded by one lock.
///
/// Idle workers wait on their own semaphore, most recently idle on top: new work wakes exactly
/// one of them (a counted wake-up cannot be lost), and the worker whose connection and caches
/// are warm gets it first, so a lightly used pool opens few connections.
///
/// Every job has a deadline (``DatabaseConfiguration/acquireTimeout`` after it was queued). One
/// timer per pool, not one per job, fails the expired ones: jobs are queued in deadline order, so
/// it only ever looks at the head of the queue and then sleeps until the next head's deadline.
final class WorkQueue: @unchecked Sendable {
    /// What a worker runs. Each returns the resumption to call once the worker's bookkeeping is
    /// done, so a caller never sees its own work still counted as running.
    enum Work {
        /// Arbitrary work on the connection (transactions, several statements).
        case closure((PGConnection) -> (() -> Void))
        /// One statement outside a transaction; consecutive ones may share a round trip.
        case statement(SQL, (Result<Rows, any Error>) -> (() -> Void))
    }

    /// One caller's work and how to fail it.
    struct Job {
        let id: Int
        let work: Work
        let deadline: NIODeadline
        let fail: (any Error) -> (() -> Void)

        var isStatement: Bool {
            if case .statement = work { return true }
            return false
        }
    }

    private struct State {
        var jobs = CircularBuffer<Job>()
        /// Workers waiting for work, the most recently idle last, and whether each has an open
        /// connection.
        var idleWorkers: [(worker: Worker, connected: Bool)] = []
        /// Idle workers with an open connection.
        var idleConnections = 0
        /// Workers woken for work that have not yet looked at the queue.
        var waking = 0
        var busy = 0
        var liveWorkers: Int
        var closed = false
        var timeouts = 0
        var reconnects = 0
        /// Connection attempts that failed in a row, and when the last one did: the next waits
        /// out its back-off (``connectBackoff()``).
        var connectFailures = 0
        var lastConnectFailure = NIODeadline.uptimeNanoseconds(0)
        var reaperScheduled = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []

        /// Takes the most recently idle worker off the stack, counted as waking.
        mutating func popIdleWorker() -> Worker? {
            guard let (worker, connected) = idleWorkers.popLast() else { return nil }
            if connected { idleConnections -= 1 }
            waking += 1
            return worker
        }
    }

    private let lock = NSLock()
    private var state: State
    private let configuration: DatabaseConfiguration
    private let eventLoop: any EventLoop
    /// Bounds how many of the pool's workers open a connection at the same time, so a burst of
    /// work after a start or a server restart does not become a burst of backend forks.
    let connectGate = DispatchSemaphore(value: 2)

    init(configuration: DatabaseConfiguration, workers: Int, eventLoop: any EventLoop) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.state = State(liveWorkers: workers)
    }

    // MARK: - Callers

    /// Queues `job` and wakes an idle worker for it.
    ///
    /// - Returns: `nil`, or why the job was refused (pool closed, too many waiting); the job's
    ///   `fail` is then not called.
    func enqueue(_ job: Job) -> DatabaseError? {
        lock.lock()
        if state.closed {
            lock.unlock()
            return DatabaseError(code: .poolClosed, message: "the database pool is shut down")
        }
        // Only work that cannot start at once (no worker woken for it) counts against the limit.
        let waiting = state.jobs.count - state.waking
        if waiting >= configuration.maxWaiting + state.idleWorkers.count {
            lock.unlock()
            return DatabaseError(code: .poolExhausted, message: "\(waiting) requests are already waiting for a database connection")
        }
        state.jobs.append(job)
        let worker = state.popIdleWorker()
        let startReaper = worker == nil && !state.reaperScheduled
        if startReaper { state.reaperScheduled = true }
        lock.unlock()
        worker?.wake()
        if startReaper { scheduleReaper(at: job.deadline) }
        return nil
    }

    /// Removes a cancelled caller's job if no worker has taken it yet, and fails it.
    func cancel(id: Int) {
        lock.lock()
        let job = state.jobs.firstIndex(where: { $0.id == id }).map { state.jobs.remove(at: $0) }
        lock.unlock()
        job?.fail(CancellationError())()
    }

    var statistics: Database.Statistics {
        lock.lock()
        defer { lock.unlock() }
        return Database.Statistics(
            size: configuration.poolSize,
            leased: state.busy,
            idle: state.idleConnections,
            waiting: max(state.jobs.count - state.waking, 0),
            timeouts: state.timeouts,
            reconnects: state.reconnects
        )
    }

    // MARK: - Workers

    /// Blocks `worker` until there is work, then returns up to `limit` statements that were
    /// queued in a row, or one closure. Returns `nil` once the queue is closed and empty.
    ///
    /// - Parameter connected: Whether the worker has an open connection (for ``statistics``).
    func next(for worker: Worker, connected: Bool, limit: Int) -> [Job]? {
        var woken = false
        while true {
            lock.lock()
            if woken {
                state.waking -= 1
                woken = false
            }
            if let first = state.jobs.popFirst() {
                var batch = [first]
                if first.isStatement {
                    while batch.count < limit, let next = state.jobs.first, next.isStatement {
                        batch.append(state.jobs.removeFirst())
                    }
                }
                state.busy += 1
                lock.unlock()
                return batch
            }
            if state.closed {
                lock.unlock()
                return nil
            }
            state.idleWorkers.append((worker, connected))
            if connected { state.idleConnections += 1 }
            lock.unlock()
            worker.sleep()
            woken = true
        }
    }

    /// Marks a worker's batch finished.
    func finish() {
        lock.lock()
        state.busy -= 1
        lock.unlock()
    }

    /// How long a worker waits before it tries to connect, after attempts that failed in a row:
    /// 50 ms after the first, doubling up to a second. While no server answers (a restart, a
    /// fail-over before the standby is promoted), the pool tries a few times a second instead of
    /// once per request, and finds the new primary within a second of it answering.
    func connectBackoff() -> TimeAmount {
        lock.lock()
        defer { lock.unlock() }
        guard state.connectFailures > 0 else { return .zero }
        let window = TimeAmount.milliseconds(min(50 << min(state.connectFailures - 1, 5), 1000))
        let remaining = (state.lastConnectFailure + window) - .now()
        return max(remaining, .zero)
    }

    /// Records how a connection attempt went, for ``connectBackoff()``.
    func recordConnect(succeeded: Bool) {
        lock.lock()
        if succeeded {
            state.connectFailures = 0
        } else {
            state.connectFailures += 1
            state.lastConnectFailure = .now()
        }
        lock.unlock()
    }

    func recordReconnect() {
        lock.lock()
        state.reconnects += 1
        lock.unlock()
    }

    /// Records a worker's exit; the last one resumes those waiting in ``shutdown()``.
    func workerExited() {
        lock.lock()
        state.liveWorkers -= 1
        var waiters: [CheckedContinuation<Void, Never>] = []
        if state.liveWorkers == 0 { swap(&waiters, &state.exitWaiters) }
        lock.unlock()
        for waiter in waiters { waiter.resume() }
    }

    // MARK: - Closing

    /// Refuses new work and wakes every idle worker; the workers end once the queued work is done.
    func close() {
        _ = close(abandoningWork: false)
    }

    /// Fails queued work, lets running work finish and waits until every worker has ended.
    func shutdown() async {
        for job in close(abandoningWork: true) {
            job.fail(DatabaseError(code: .poolClosed, message: "the database pool is shut down"))()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if state.liveWorkers == 0 {
                lock.unlock()
                continuation.resume()
            } else {
                state.exitWaiters.append(continuation)
                lock.unlock()
            }
        }
    }

    /// Marks the queue closed and wakes the idle workers.
    ///
    /// - Returns: The queued jobs, removed, when `abandoningWork`.
    private func close(abandoningWork: Bool) -> [Job] {
        lock.lock()
        state.closed = true
        var abandoned: [Job] = []
        if abandoningWork {
            abandoned = Array(state.jobs)
            state.jobs.removeAll()
        }
        var sleepers: [Worker] = []
        while let worker = state.popIdleWorker() { sleepers.append(worker) }
        lock.unlock()
        for worker in sleepers { worker.wake() }
        return abandoned
    }

    // MARK: - Timeouts

    private func scheduleReaper(at deadline: NIODeadline) {
        eventLoop.scheduleTask(deadline: deadline) { [self] in reap() }
    }

    /// Fails the jobs whose deadline has passed and sleeps until the next one's.
    private func reap() {
        let now = NIODeadline.now()
        lock.lock()
        var expired: [Job] = []
        while let first = state.jobs.first, first.deadline <= now { expired.append(state.jobs.removeFirst()) }
        state.timeouts += expired.count
        let next = state.jobs.first?.deadline
        state.reaperScheduled = next != nil
        lock.unlock()
        if let next { scheduleReaper(at: next) }
        guard !expired.isEmpty else { return }
        let error = DatabaseError(
            code: .poolTimeout,
            message: "no database connection became free within \(configuration.acquireTimeout) (pool size \(configuration.poolSize))"
        )
        for job in expired { job.fail(error)() }
    }
}
