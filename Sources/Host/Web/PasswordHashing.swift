import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The host's password work (scrypt, hundreds of milliseconds and 128 MiB a try) on a small
/// pool of threads of its own: at most one per core (half the cores by default, at least one),
/// each at a lower scheduling priority than the threads that serve requests, so a flood of
/// sign-ins neither blocks Swift's cooperative pool nor takes the CPU from other requests. At
/// most ``maxWaiting`` pieces of work wait for a thread; more are refused at once
/// (``PasswordHashingError/busy``).
///
/// A ``Service`` of the host's `ServiceGroup`: its threads end at graceful shutdown, after the
/// work in hand (``shutdown()`` does the same for commands and tests that run no services).
final class PasswordHashing: Service, Sendable {
    /// What the threads compute: the cost of new hashes.
    let hasher: PasswordHasher
    /// Threads of the pool.
    let threads: Int
    /// Work that may wait for a thread at once.
    let maxWaiting: Int
    private let pool: NIOThreadPool
    private let queued = Atomic<Int>(0)
    /// Whether the threads were started (at the first piece of work) and whether they were stopped.
    private let state = Mutex<(started: Bool, stopped: Bool)>((false, false))
    private let decoyHash = Mutex<String?>(nil)

    /// Half the cores, at least one: the other half serves requests while passwords are hashed.
    static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount / 2) }

    /// Makes the pool; its threads start with the first piece of work.
    ///
    /// - Parameters:
    ///   - cost: log2 of scrypt's N for new hashes (`security.passwordHashCost`).
    ///   - threads: Threads of the pool, at most one per core.
    init(cost: Int, threads: Int = PasswordHashing.defaultThreads) {
        let threads = min(max(threads, 1), max(ProcessInfo.processInfo.activeProcessorCount, 1))
        self.hasher = PasswordHasher(cost: cost)
        self.threads = threads
        self.maxWaiting = 8 * threads
        self.pool = NIOThreadPool(numberOfThreads: threads)
    }

    /// Waits for the graceful shutdown, then lets the work in hand finish and ends the threads.
    func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Ends the threads after the work in hand; safe to call more than once.
    func shutdown() async {
        let wasRunning = state.withLock { state in
            defer { state.stopped = true }
            return state.started && !state.stopped
        }
        if wasRunning { try? await pool.shutdownGracefully() }
    }

    /// The stored form of `password` at this host's cost.
    ///
    /// - Throws: ``PasswordHashingError`` when the pool is full or stopped.
    func hash(_ password: String) async throws -> String {
        let hasher = self.hasher
        return try await onPool { try hasher.hash(password) }
    }

    /// Whether `password` matches `stored`; with no stored hash (an unknown or disabled user) it
    /// compares against a decoy hash of the same cost, so the answer takes as long either way.
    ///
    /// - Returns: Whether it matched, and the new stored form when it matched a hash made with
    ///   other parameters (to store in its place).
    /// - Throws: ``PasswordHashingError`` when the pool is full or stopped.
    func verify(_ password: String, against stored: String?) async throws -> (matches: Bool, rehashed: String?) {
        try await onPool { [self] in
            guard let stored else {
                _ = PasswordHasher.verify(password, against: try decoy())
                return (false, nil)
            }
            let matches = PasswordHasher.verify(password, against: stored)
            return (matches, matches && hasher.needsRehash(stored) ? try hasher.hash(password) : nil)
        }
    }

    /// The hash an unknown user's password is compared against, made once at this host's cost.
    private func decoy() throws -> String {
        try decoyHash.withLock { cached in
            if let cached { return cached }
            let made = try hasher.hash("decoy password that nobody has")
            cached = made
            return made
        }
    }

    /// Runs `work` on one of the pool's threads, refusing it when ``maxWaiting`` pieces wait.
    private func onPool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        let usable = state.withLock { state in
            if !state.started && !state.stopped {
                pool.start()
                state.started = true
            }
            return !state.stopped
        }
        guard usable else { throw PasswordHashingError.stopped }
        let waiting = queued.wrappingAdd(1, ordering: .relaxed).newValue
        defer { queued.wrappingSubtract(1, ordering: .relaxed) }
        guard waiting <= maxWaiting else { throw PasswordHashingError.busy }
        do {
            return try await pool.runIfActive {
                Self.lowerPriority()
                return try work()
            }
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw PasswordHashingError.stopped
        }
    }

    /// Puts the calling thread at nice 10: the event loops and the database pool keep their share
    /// of the CPU under a flood of sign-ins. (On Linux the nice value belongs to a thread, and
    /// `setpriority(PRIO_PROCESS, 0, …)` sets the caller's.)
    private static func lowerPriority() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }
}
