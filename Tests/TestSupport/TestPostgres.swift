public import DataAccess
import Foundation
public import Logging

/// The PostgreSQL server the tests run against, and a fresh database for each test.
///
/// With `KOOPERATOR_TEST_DATABASE_URL` set (a URL to a server's maintenance database), tests
/// use that server; otherwise the first test starts an embedded cluster under
/// `.kooperator/test-postgres` on a free port, which later tests (and runs, while it is up) reuse.
/// Unlike the product's embedded cluster it runs with `fsync` off, for speed (its data is thrown
/// away), and listens on TCP too; it asks for passwords as the product's does.
public enum TestPostgres {
    /// The package's root directory.
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A logger that stays quiet unless `KOOPERATOR_TEST_LOG` or `KOOPERATOR_TEST_LOG_FILE` is set
    /// (see ``TestLog``).
    public static var logger: Logger {
        TestLog.bootstrap
        var logger = Logger(label: "test")
        logger.logLevel = TestLog.level
        return logger
    }

    /// How long the tests' pools may take to open a connection. Far above the host's default:
    /// every test runs at once against one server on a small CI machine, and a backend start
    /// there has been seen to take longer than 5 seconds.
    public static let connectTimeout: Duration = .seconds(60)

    private static let server = TestServer()

    /// A pool on `url` for a test, with the tests' ``connectTimeout``.
    public static func database(
        url: String,
        poolSize: Int,
        acquireTimeout: Duration = .seconds(5),
        maxWaiting: Int = 1024
    ) -> Database {
        Database(
            configuration: DatabaseConfiguration(
                url: url,
                poolSize: poolSize,
                acquireTimeout: acquireTimeout,
                maxWaiting: maxWaiting,
                connectTimeout: connectTimeout
            ),
            logger: logger
        )
    }

    /// Creates an empty database on the test server and returns its URL.
    public static func makeDatabaseURL() async throws -> String {
        let base = try await server.baseURL()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await server.administration().execute("CREATE DATABASE \(identifier: name)")
        return Self.replacingDatabase(in: base, with: name)
    }

    /// Runs `body` with a pool on a new, empty database, closes the pool afterwards and drops the
    /// database.
    public static func withDatabase<Result>(
        poolSize: Int = 4,
        acquireTimeout: Duration = .seconds(5),
        maxWaiting: Int = 1024,
        _ body: (Database, String) async throws -> Result
    ) async throws -> Result {
        let url = try await makeDatabaseURL()
        let database = database(url: url, poolSize: poolSize, acquireTimeout: acquireTimeout, maxWaiting: maxWaiting)
        do {
            let result = try await body(database, url)
            await database.shutdown()
            await dropDatabase(url: url)
            return result
        } catch {
            await database.shutdown()
            await dropDatabase(url: url)
            throw error
        }
    }

    /// Drops a database ``makeDatabaseURL()`` made, once its test is done with it.
    ///
    /// A full run makes several hundred databases of 8 MB and more each; kept to the end, they
    /// have filled a CI machine's disk. Best effort: a database that cannot be dropped is left to
    /// the next run's clean-up.
    public static func dropDatabase(url: String) async {
        guard let admin = try? await server.administration(), let name = databaseName(in: url), name.hasPrefix("t_") else { return }
        _ = try? await admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
    }

    static func databaseName(in url: String) -> String? {
        if let range = url.range(of: " dbname=") { return String(url[range.upperBound...].prefix { $0 != " " }) }
        guard let slash = url.lastIndex(of: "/"), url[..<slash].contains("://") else { return nil }
        let tail = url[url.index(after: slash)...]
        return String(tail.prefix { $0 != "?" })
    }

    /// The test server's URL for `database` as `user` with `password` (roles a test made).
    public static func url(database: String, user: String, password: String) async throws -> String {
        let url = replacingDatabase(in: try await server.baseURL(), with: database)
        guard url.contains("://") else { return url + " user=\(user) password=\(password)" }
        // libpq takes a query parameter over the user and password before the "@".
        return url + (url.contains("?") ? "&" : "?") + "user=\(user)&password=\(password)"
    }

    /// The test server's maintenance database, as its superuser (or the configured role).
    public static func baseURL() async throws -> String {
        try await server.baseURL()
    }

    static func replacingDatabase(in url: String, with name: String) -> String {
        guard let slash = url.lastIndex(of: "/"), url[..<slash].contains("://") else { return url + " dbname=\(name)" }
        let tail = url[url.index(after: slash)...]
        let query = tail.firstIndex(of: "?").map { String(tail[$0...]) } ?? ""
        return String(url[...slash]) + name + query
    }
}

/// Starts the embedded test cluster once per process.
actor TestServer {
    private var url: String?
    private var admin: Database?

    /// The pool that creates and drops the tests' databases, shared by every test of the process.
    ///
    /// Two connections, so at most two `CREATE DATABASE` or `DROP DATABASE` run at once (each
    /// copies or removes 8 MB and more; with a dozen at once on a 2-core CI machine they queued
    /// past the host's 30-second statement timeout, and the tests failed before they began). No
    /// statement timeout, and a long wait for a connection: these statements set a test up and
    /// are not what it checks, so they may take as long as the machine needs.
    func administration() async throws -> Database {
        if let admin { return admin }
        let pool = Database(
            configuration: DatabaseConfiguration(
                url: try await baseURL(),
                poolSize: 2,
                acquireTimeout: .seconds(900),
                maxWaiting: 100_000,
                statementTimeout: .zero,
                connectTimeout: TestPostgres.connectTimeout
            ),
            logger: TestPostgres.logger
        )
        // Another caller may have made one while this one waited for the server.
        if let admin {
            await pool.shutdown()
            return admin
        }
        admin = pool
        return pool
    }

    func baseURL() async throws -> String {
        if let url { return url }
        if let configured = ProcessInfo.processInfo.environment["KOOPERATOR_TEST_DATABASE_URL"], !configured.isEmpty {
            url = configured
            return configured
        }
        let directory = TestPostgres.packageRoot + "/.kooperator/test-postgres"
        var cluster = EmbeddedPostgres(directory: directory, port: freeLoopbackPort(), listensOnTCP: true)
        let reused: Bool
        if case .running = cluster.status(), let port = EmbeddedPostgres.runningPort(directory: directory) {
            cluster = EmbeddedPostgres(directory: directory, port: port, listensOnTCP: true)
            cluster.durable = false
            reused = true
        } else {
            // Every test's pools and hosts run at once against this one server.
            cluster = try EmbeddedPostgres.startRetryingPorts(directory: directory, maxConnections: 600)
            reused = false
        }
        try cluster.start(logger: TestPostgres.logger)
        // Where the cluster really lives (it moves when the checkout is closed to postgres), for `make test` to stop it.
        try? FileManager.default.createDirectory(atPath: TestPostgres.packageRoot + "/.kooperator", withIntermediateDirectories: true)
        try? cluster.directory.write(toFile: TestPostgres.packageRoot + "/.kooperator/test-postgres.location", atomically: true, encoding: .utf8)
        // As the superuser: the tests create a database each.
        let base = try cluster.url(database: "postgres", as: .superuser)
        // A cluster this run started holds only earlier runs' databases (8 MB each, thousands over
        // weeks of runs); drop them. A running cluster may be serving another run, so it is left alone.
        if !reused { await Self.dropEarlierDatabases(base) }
        url = base
        return base
    }

    private static func dropEarlierDatabases(_ base: String) async {
        let admin = TestPostgres.database(url: base, poolSize: 1)
        if let rows = try? await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 't\\_%'") {
            for row in rows {
                guard let name = try? row.decode("datname", as: String.self) else { continue }
                _ = try? await admin.execute("DROP DATABASE IF EXISTS \(identifier: name)")
            }
        }
        await admin.shutdown()
    }
}
