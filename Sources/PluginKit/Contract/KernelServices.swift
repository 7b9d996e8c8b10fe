/// Identifies a kernel service in ``KernelServices``: the kernel module that provides it
/// declares the key and an accessor on ``FeatureContext``.
///
/// ```swift
/// enum RegistryKey: KernelServiceKey { typealias Value = Registry }
/// extension FeatureContext {
///     public var registry: Registry { kernel[RegistryKey.self] }
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
    private var values: [ObjectIdentifier: any Sendable] = [:]

    /// No services.
    public init() {}

    /// The service for `key`.
    ///
    /// A missing service is a wiring error of the host (or a test), never of input, so it stops
    /// the program with the key's name.
    public subscript<Key: KernelServiceKey>(key: Key.Type) -> Key.Value {
        get {
            guard let value = values[ObjectIdentifier(key)] as? Key.Value else {
                fatalError("kernel service \(Key.self) was not provided by the host")
            }
            return value
        }
        set { values[ObjectIdentifier(key)] = newValue }
    }
}
