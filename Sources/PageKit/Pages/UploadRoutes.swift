public import PluginKit
import Synchronization

/// The page routes that take a file upload (`multipart/form-data`), each with the permission it
/// requires. The host's session middleware reads an upload's body within the large upload limit
/// only for one of these routes and only for a user who holds its permission, before reading
/// anything; a multipart form sent anywhere else is read within the ordinary form limit. So a
/// signed-in user without the permission cannot make the host hold a hundred megabytes.
public final class UploadRoutes: Sendable {
    private let routes = Mutex<[String: Permission]>([:])

    /// An empty set; the host fills it while the features add their pages.
    public init() {}

    /// Records `endpoint` (`/esf/projects/{id}/import`, as the router names a matched route).
    func add(_ endpoint: String, requiring permission: Permission) {
        routes.withLock { $0[endpoint] = permission }
    }

    /// The permission an upload to `endpoint` needs; `nil` when the route takes no upload.
    public func permission(forEndpoint endpoint: String) -> Permission? {
        routes.withLock { $0[endpoint] }
    }
}
