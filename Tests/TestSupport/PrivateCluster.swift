public import DataAccess
import Foundation

/// A cluster of a test's own, for tests that stop or restart PostgreSQL and so must not
/// disturb the shared server. Removed with ``remove()``.
public struct PrivateCluster: Sendable {
    /// The embedded server.
    public let server: EmbeddedPostgres

    /// Creates and starts a cluster in a directory of its own on a free port.
    public init() throws {
        let port = freeLoopbackPort()
        let directory = TestPostgres.packageRoot + "/.kooperator/private-\(port)-\(UUID().uuidString.prefix(8))"
        server = EmbeddedPostgres(directory: directory, port: port)
        try server.start(creating: ["kooperator"], logger: TestPostgres.logger)
    }

    /// The URL of its `kooperator` database.
    public var url: String { server.url(database: "kooperator") }

    /// Stops the server and deletes its files.
    public func remove() {
        try? server.stop()
        try? FileManager.default.removeItem(atPath: server.directory)
    }
}
