import Synchronization

/// A value shared between a test and the closures it hands out.
public final class LockedBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    /// Wraps an initial value.
    public init(_ value: Value) { mutex = Mutex(value) }

    /// The current value.
    public func get() -> Value { mutex.withLock { $0 } }

    /// Replaces the value.
    public func set(_ value: Value) { mutex.withLock { $0 = value } }

    /// Changes the value in place and returns what `body` returns.
    public func withValue<Result>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}
