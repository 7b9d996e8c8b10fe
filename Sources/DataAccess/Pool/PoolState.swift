import NIOCore

/// The pool's bookkeeping, guarded by the pool's mutex.
struct PoolState {
    /// What a caller gets: a pooled connection, or the right to open a new one.
    enum Lease: @unchecked Sendable {
        case existing(PGConnection)
        case new
    }

    struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Lease, any Error>
        let timeout: Scheduled<Void>?
    }

    var idle: [PGConnection] = []
    var leased = 0
    var waiters = CircularBuffer<Waiter>()
    var nextWaiterID = 0
    var closed = false
    var timeouts = 0
    var reconnects = 0

    mutating func removeWaiter(id: Int) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index)
    }
}
