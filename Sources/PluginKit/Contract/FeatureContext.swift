public import DataAccess
public import Logging

/// What a feature works with at run time: the shared database, a logger labelled with the
/// feature's id, a publisher for its events, and the kernel's services (the registry).
public struct FeatureContext: Sendable {
    /// The feature's id.
    public let featureID: String
    /// The pool every feature shares; a feature writes only its own schema.
    public let database: Database
    /// A logger with the feature's id as metadata.
    public let logger: Logger
    /// Publishes the feature's events into the outbox of a transaction.
    public let events: EventPublisher
    /// The kernel's services; kernel modules add typed accessors (`context.registry`).
    public let kernel: KernelServices
    /// The feature itself, made from its settings, for commands that need them.
    let plugin: (any FeaturePlugin)?

    /// Creates a context; the host does this for each enabled feature.
    public init(
        featureID: String,
        database: Database,
        logger: Logger,
        events: EventPublisher,
        kernel: KernelServices = KernelServices(),
        plugin: (any FeaturePlugin)? = nil
    ) {
        self.featureID = featureID
        self.kernel = kernel
        self.plugin = plugin
        self.database = database
        var logger = logger
        logger[metadataKey: "feature"] = .string(featureID)
        self.logger = logger
        self.events = events
    }

    /// The feature as its own type (`context.plugin(SupervisionPlugin.self)?.settings`); `nil`
    /// when the context was made without it or for another feature.
    public func plugin<Plugin: FeaturePlugin>(_ type: Plugin.Type) -> Plugin? { plugin as? Plugin }
}
