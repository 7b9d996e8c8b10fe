/// The user behind the API request being handled, and the request's id.
///
/// Handlers generated from a feature's `openapi.yaml` see only their operation's input, not the
/// Hummingbird request context, so the host hands the caller over as a task-local value: its
/// middleware checks the operation's permission and runs the handler inside
/// `Caller.$current.withValue(…)`. A handler asks ``current()`` for it.
///
/// ```swift
/// func getAssignment(_ input: Operations.GetAssignment.Input) async throws -> Operations.GetAssignment.Output {
///     let caller = try Caller.current()
///     let reach = store.registry.reach(of: caller.principal)
///     …
/// }
/// ```
public struct Caller: Sendable, Hashable {
    /// The signed-in user, who holds the operation's permission.
    public let principal: Principal
    /// The request's id, for the audit row.
    public let requestID: String

    /// Creates a caller.
    public init(principal: Principal, requestID: String) {
        self.principal = principal
        self.requestID = requestID
    }

    /// The caller of the operation running in this task, set by the host.
    @TaskLocal public static var task: Caller?

    /// The caller of the operation running in this task.
    ///
    /// - Throws: ``FeatureError`` `.unauthenticated` (401) outside a request the host authenticated.
    public static func current() throws(FeatureError) -> Caller {
        guard let task else { throw FeatureError(.unauthenticated, "this route needs a bearer token (Authorization: Bearer …)") }
        return task
    }

    /// The caller as the actor of an audited write.
    public var actor: Actor { Actor(userID: principal.userID, name: principal.name, requestID: requestID) }
}
