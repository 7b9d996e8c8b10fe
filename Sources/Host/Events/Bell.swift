import NIOCore
import NIOPosix
import Synchronization

/// Wakes a waiting loop early: the dispatcher waits for its poll interval or a ring, whichever
/// comes first. A ring with nobody waiting is remembered for the next wait.
final class Bell: Sendable {
    private struct State {
        var waiter: CheckedContinuation<Void, Never>?
        var rung = false
        var generation = 0
    }

    private let state = Mutex(State())
    private let eventLoop = MultiThreadedEventLoopGroup.singleton.next()

    /// Wakes the waiter, or the next one.
    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.rung = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns after `timeout`, on a ring, or at once if it rang since the last wait.
    func wait(timeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let generation = state.withLock { state -> Int? in
                if state.rung {
                    state.rung = false
                    return nil
                }
                state.generation += 1
                state.waiter = continuation
                return state.generation
            }
            guard let generation else {
                continuation.resume()
                return
            }
            eventLoop.scheduleTask(in: .milliseconds(Int64(timeout.wholeMilliseconds))) { [self] in
                let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
                    guard state.generation == generation, let waiter = state.waiter else { return nil }
                    state.waiter = nil
                    return waiter
                }
                waiter?.resume()
            }
        }
    }
}

extension Duration {
    /// The duration in whole milliseconds.
    var wholeMilliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
