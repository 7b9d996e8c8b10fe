public import DataAccess
import Foundation

/// A cluster of a test's own, for tests that stop or restart PostgreSQL and so must not
/// disturb the shared server. Removed with ``remove()``.
public struct PrivateCluster: Sendable {
    /// The embedded server.
    public let server: EmbeddedPostgres

    /// Creates and starts a cluster in a directory of its own on a free port (another one if
    /// the port was taken before the server could bind it).
    public init() throws {
        let directory = TestPostgres.packageRoot + "/.kooperator/private-\(UUID().uuidString.prefix(8))"
        server = try EmbeddedPostgres.startRetryingPorts(directory: directory, creating: ["kooperator"])
        url = try server.url(database: "kooperator", as: .superuser)
    }

    /// The URL of its `kooperator` database, as the superuser.
    public let url: String

    /// Stops the server and deletes its files.
    public func remove() {
        try? server.stop()
        try? FileManager.default.removeItem(atPath: server.directory)
    }
}

extension EmbeddedPostgres {
    /// Starts the cluster in `directory` on a free port (TCP too, with `fsync` off), trying
    /// another port up to twice when the start fails (a port can be taken between choosing it
    /// and the server's bind).
    static func startRetryingPorts(directory: String, creating databases: [String] = [], maxConnections: Int = 200) throws -> EmbeddedPostgres {
        var attempt = 0
        while true {
            var server = EmbeddedPostgres(directory: directory, port: freeLoopbackPort(), listensOnTCP: true)
            server.maxConnections = maxConnections
            // Thrown away after the tests: no need to survive a crash, and much faster.
            server.durable = false
            do {
                try server.start(creating: databases, logger: TestPostgres.logger)
                return server
            } catch {
                attempt += 1
                if attempt >= 3 { throw error }
            }
        }
    }
}
