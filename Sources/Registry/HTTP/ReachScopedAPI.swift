public import DataAccess
public import PluginKit

/// A feature's implementation of the `APIProtocol` generated from its `openapi.yaml`, over the
/// registry: each handler learns the caller of its operation (``caller()``) and what the caller
/// may see, and reads or writes through the shared pool. The registry's and every feature's API
/// conform, so these few lines exist once.
///
/// ```swift
/// struct SupervisionAPI: APIProtocol, ReachScopedAPI {
///     let store: SupervisionStore
///     var registry: Registry { store.registry }
///
///     func getAssignment(_ input: Operations.GetAssignment.Input) async throws -> Operations.GetAssignment.Output {
///         let (reach, _, _) = try caller()
///         …
///     }
/// }
/// ```
public protocol ReachScopedAPI: Sendable {
    /// The registry, which knows every caller's reach and holds the shared pool.
    var registry: Registry { get }
}

extension ReachScopedAPI {
    /// The caller of the running operation: what it may see, who it is in the audit log, and
    /// the signed-in user (for permissions that widen an answer).
    ///
    /// - Throws: ``FeatureError`` `.unauthenticated` outside a request the host authenticated.
    public func caller() throws(FeatureError) -> (reach: Reach, actor: Actor, principal: Principal) {
        let caller = try Caller.current()
        return (registry.reach(of: caller.principal), caller.actor, caller.principal)
    }

    /// Runs `body` on a pooled connection, for a read.
    public func read<Result: Sendable>(_ body: @escaping @Sendable (DatabaseConnection) throws -> Result) async throws -> Result {
        try await registry.database.withConnection(body)
    }

    /// Runs `body` in a transaction, for a write.
    public func write<Result: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> Result) async throws -> Result {
        try await registry.database.transaction(body)
    }
}
