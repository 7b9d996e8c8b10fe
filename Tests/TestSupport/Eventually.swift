/// Waits until `condition` holds, polling every 5 ms; throws after `timeout` instead of hanging
/// the test run when it never does (a task that failed early, a race lost under load).
///
/// - Parameters:
///   - what: What is awaited, for the error.
///   - timeout: The longest wait: a minute by default, because the whole test run shares two
///     cores and a connection the condition waits for can take over ten seconds to open then; a
///     condition that holds returns at once, so only a real failure waits this long.
///   - condition: The condition.
public func eventually(_ what: String, timeout: Duration = .seconds(60), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { throw EventuallyTimeout(what: what, timeout: timeout) }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// A condition awaited with ``eventually(_:timeout:_:)`` did not come true in time.
public struct EventuallyTimeout: Error, CustomStringConvertible {
    /// What was awaited.
    public let what: String
    /// How long.
    public let timeout: Duration
    public var description: String { "waited \(timeout) for \(what)" }
}
