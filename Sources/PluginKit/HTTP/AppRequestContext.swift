public import Hummingbird
public import NIOCore
import Synchronization

/// The request context of every route: Hummingbird's core storage, the host's limits, the
/// connection's peer and the authenticated user. Features read it, never build it.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The largest request body accepted (config `http.maxBodyBytes`); larger bodies get 413.
    public var maxUploadSize: Int
    /// The user whose bearer token came with the request; `nil` without one. Set by the host.
    public var principal: Principal?
    /// The browser session of a page request (signed in with a cookie), which PageKit reads as
    /// `web`; `nil` for the API. Set by the host. PluginKit does not know the pages, so it holds
    /// the session without its type.
    public var pageSession: (any Sendable)?
    /// The connection's peer (a proxy's address when one stands in front); `nil` without a socket.
    /// Asked of the channel when read (by the sign-in page alone), not for every request: the
    /// channel answers under a lock.
    public var remoteAddress: SocketAddress? { channel.remoteAddress }
    private let channel: any Channel

    /// Creates the context for a request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.maxUploadSize = AppRequestContext.bodyLimit
        self.principal = nil
        self.pageSession = nil
        self.channel = source.channel
    }

    /// The request's user, if it holds `permission`.
    ///
    /// - Returns: The principal.
    /// - Throws: ``FeatureError`` `.unauthenticated` (401) without a valid token, `.forbidden`
    ///   (403) when the user's role lacks the permission.
    public func require(_ permission: Permission) throws -> Principal {
        guard let principal else {
            throw FeatureError(.unauthenticated, "this route needs a bearer token (Authorization: Bearer …)")
        }
        guard principal.holds(permission) else {
            throw FeatureError(.forbidden, "the role \(principal.role) does not have the permission \(permission.id)", wording: "forbidden")
        }
        return principal
    }

    /// The body limit in bytes applied to new requests (config `http.maxBodyBytes`, 1 MiB until
    /// the host sets it once at start-up).
    public static var bodyLimit: Int {
        get { bodyLimitStorage.load(ordering: .relaxed) }
        set { bodyLimitStorage.store(newValue, ordering: .relaxed) }
    }

    private static let bodyLimitStorage = Atomic(1_048_576)
}
