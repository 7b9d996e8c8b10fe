import Synchronization

/// The addresses this host found throttled (``SignInThrottle``), with when their throttle ends,
/// so that their further attempts are answered from memory, without a database round trip:
/// a flood from one address then costs the host little more than the answer. The database stays
/// the authority: an address another host throttled is found there at its next attempt.
final class ThrottledAddresses: Sendable {
    private let until = Mutex<[String: ContinuousClock.Instant]>([:])
    /// Entries kept at most; past it the ended ones go, and if that is not enough, all.
    static let capacity = 10_000

    /// Seconds the throttle of `address` has left, or `nil` when this host knows of none.
    func remaining(_ address: String) -> Int? {
        let now = ContinuousClock.now
        return until.withLock { until in
            guard let end = until[address] else { return nil }
            guard end > now else {
                until[address] = nil
                return nil
            }
            return max(Int((end - now).components.seconds), 1)
        }
    }

    /// Remembers that `address` is throttled for `seconds` more.
    func throttle(_ address: String, seconds: Int) {
        let now = ContinuousClock.now
        until.withLock { until in
            if until.count >= Self.capacity {
                until = until.filter { $0.value > now }
                if until.count >= Self.capacity { until = [:] }
            }
            until[address] = now + .seconds(seconds)
        }
    }
}
