/// Identifies a kernel service in ``KernelServices``: the kernel module that provides it
/// declares the key and an accessor on ``FeatureContext``.
///
/// ```swift
/// enum RegistryKey: KernelServiceKey { typealias Value = Registry }
/// extension FeatureContext {
///     public var registry: Registry { get throws(KernelServices.Missing) { try kernel.service(RegistryKey.self) } }
/// }
/// ```
public protocol KernelServiceKey {
    /// The service's type.
    associatedtype Value: Sendable
}

/// The kernel's shared services (the registry with its identity-number key, …) that the host
/// creates once and hands to every feature. PluginKit cannot know their types, so they are
/// stored by key.
public struct KernelServices: Sendable {
    /// A kernel service the host (or a test) did not provide: a wiring error, reported like any
    /// other so that a command exits non-zero and a request answers with a problem, never a trap.
    public struct Missing: Error, Sendable, CustomStringConvertible {
        /// The key's type name.
        let key: String

        public var description: String { "kernel service \(key) was not provided by the host" }
    }

    private var values: [ObjectIdentifier: any Sendable] = [:]

    /// No services.
    public init() {}

    /// The service for `key`, or `nil` when it was not provided.
    public subscript<Key: KernelServiceKey>(key: Key.Type) -> Key.Value? {
        get { values[ObjectIdentifier(key)] as? Key.Value }
        set { values[ObjectIdentifier(key)] = newValue }
    }

    /// The service for `key`.
    ///
    /// - Throws: ``Missing`` when the host did not provide it.
    public func service<Key: KernelServiceKey>(_ key: Key.Type) throws(Missing) -> Key.Value {
        guard let value = self[key] else { throw Missing(key: String(describing: Key.self)) }
        return value
    }
}
