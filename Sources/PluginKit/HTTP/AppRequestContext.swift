public import Hummingbird
import Synchronization

/// The request context of every route: Hummingbird's core storage plus the host's limits.
///
/// Later kernel issues add the authenticated user here; features read it, never build it.
public struct AppRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The largest request body accepted (config `http.maxBodyBytes`); larger bodies get 413.
    public var maxUploadSize: Int

    /// Creates the context for a request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.maxUploadSize = AppRequestContext.bodyLimit.value
    }

    /// The body limit applied to new requests; the host sets it once at start-up.
    public static let bodyLimit = BodyLimit()

    /// Holds the configured body limit for contexts created by Hummingbird.
    public final class BodyLimit: Sendable {
        private let storage = Atomic(1_048_576)
        /// The limit in bytes.
        public var value: Int { storage.load(ordering: .relaxed) }
        /// Sets the limit in bytes.
        public func set(_ bytes: Int) { storage.store(bytes, ordering: .relaxed) }
    }
}
