import Dispatch

/// Runs blocking work (starting or stopping a PostgreSQL cluster, running a subprocess) on a
/// Dispatch thread, so it does not hold one of the few threads of Swift's cooperative pool.
/// Blocking those threads in parallel tests starves every other test's tasks (and, on a
/// 2-core machine, can stall the run for many seconds).
public func offload<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
