import Foundation
public import Logging

/// A private PostgreSQL cluster in a directory of the project, made from the system's
/// PostgreSQL binaries: the host's default when no database URL is configured.
///
/// `initdb` and `pg_ctl` refuse to run as root, so as root they run as the `postgres` user
/// (`runuser -u postgres`), which then owns the data directory.
///
/// ```swift
/// let server = EmbeddedPostgres(directory: ".kooperator/postgres", port: 54329)
/// try server.start(logger: logger)          // initdb on first use, then pg_ctl start
/// let url = server.url(database: "kooperator")
/// ```
public struct EmbeddedPostgres: Sendable {
    /// Whether the cluster exists and runs.
    public enum Status: Sendable, Equatable, CustomStringConvertible {
        /// No cluster in the directory yet.
        case notInitialized
        /// The cluster exists and is stopped.
        case stopped
        /// The server runs with this process id.
        case running(pid: Int)

        public var description: String {
            switch self {
            case .notInitialized: "not initialised"
            case .stopped: "stopped"
            case .running(let pid): "running (pid \(pid))"
            }
        }
    }

    /// The cluster's directory (data in `data/`, socket in `socket/`, log in `server.log`).
    public let directory: String
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// The server's `max_connections` (200; the test cluster, shared by every test's pools and
    /// hosts running in parallel, asks for more).
    public var maxConnections = 200

    /// The server options `pg_ctl` passes on start and restart.
    var serverOptions: String {
        "-p \(port) -k \(socketDirectory) -c listen_addresses=127.0.0.1 -c max_connections=\(maxConnections) -c fsync=off"
    }

    /// Describes a cluster; nothing happens until ``start(logger:)``.
    ///
    /// As root, the server runs as `postgres`, which must be able to reach the directory; when
    /// a parent folder is closed to other users (a private checkout or CI folder), the cluster
    /// lives in `/var/tmp/kooperator-postgres/<hash of the requested path>` instead, still one
    /// cluster per requested directory.
    ///
    /// - Parameters:
    ///   - directory: Where the cluster lives; made absolute against the current directory.
    ///   - port: The port to listen on, on 127.0.0.1 only.
    public init(directory: String, port: Int) {
        let requested = URL(fileURLWithPath: directory).standardizedFileURL.path
        self.requestedDirectory = requested
        self.directory = Self.reachableByServer(requested) ? requested : Self.fallbackDirectory(for: requested)
        self.port = port
    }

    /// The directory asked for; differs from ``directory`` when the cluster had to move.
    public let requestedDirectory: String

    /// Whether the `postgres` user can reach `path` when the cluster runs as it (always true
    /// when not root): every existing parent must be searchable by others.
    static func reachableByServer(_ path: String) -> Bool {
        guard getuid() == 0 else { return true }
        var parent = URL(fileURLWithPath: path).deletingLastPathComponent()
        while parent.path != "/" {
            var info = stat()
            if stat(parent.path, &info) == 0, info.st_mode & S_IXOTH == 0 { return false }
            parent.deleteLastPathComponent()
        }
        return true
    }

    static func fallbackDirectory(for path: String) -> String {
        // FNV-1a: a stable name per requested path, across processes.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let base = "/var/tmp/kooperator-postgres"
        try? FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        chmod(base, 0o755)
        return base + "/" + String(hash, radix: 16) + "-" + URL(fileURLWithPath: path).lastPathComponent
    }

    var dataDirectory: String { directory + "/data" }
    var socketDirectory: String { directory + "/socket" }
    var logFile: String { directory + "/server.log" }

    /// A libpq URL for a database of this cluster, as the superuser `postgres`.
    public func url(database: String) -> String {
        "postgresql://postgres@127.0.0.1:\(port)/\(database)"
    }

    /// Where the cluster stands now.
    public func status() -> Status {
        guard FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") else { return .notInitialized }
        guard let pidText = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let pid = pidText.split(separator: "\n").first.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
            kill(pid_t(pid), 0) == 0
        else { return .stopped }
        return .running(pid: pid)
    }

    /// Creates the cluster if needed, starts it if stopped, and creates `databases` that are missing.
    ///
    /// - Returns: `true` when this call started the server (so the caller should stop it).
    /// - Throws: ``EmbeddedPostgresError`` naming the step that failed and the server log.
    @discardableResult
    public func start(creating databases: [String] = [], logger: Logger) throws -> Bool {
        let binaries = try Self.binaryDirectory()
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        if asRoot { try run("/bin/chown", ["postgres:postgres", directory, socketDirectory], step: "chown") }

        if directory != requestedDirectory {
            logger.notice("\(requestedDirectory) is not reachable by the postgres user; the embedded cluster lives in \(directory)")
        }
        if status() == .notInitialized {
            logger.info("creating an embedded PostgreSQL cluster in \(directory)")
            try fileManager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            if asRoot { try run("/bin/chown", ["postgres:postgres", dataDirectory], step: "chown") }
            chmod(dataDirectory, 0o700)
            try runPostgresTool(
                binaries + "/initdb",
                ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"],
                step: "initdb"
            )
        }
        var started = false
        if case .running = status() {
            logger.debug("embedded PostgreSQL already running in \(directory)")
        } else {
            // A crash can leave a stale pid file that blocks pg_ctl; the server was checked dead above.
            try? fileManager.removeItem(atPath: dataDirectory + "/postmaster.pid")
            let options = serverOptions
            try runPostgresTool(
                binaries + "/pg_ctl",
                ["-D", dataDirectory, "-l", logFile, "-o", options, "-w", "-t", "30", "start"],
                step: "pg_ctl start"
            )
            started = true
            logger.info("started embedded PostgreSQL on 127.0.0.1:\(port)")
        }
        if !databases.isEmpty { try createDatabases(databases, logger: logger) }
        return started
    }

    /// Stops the server (fast shutdown: open transactions are rolled back).
    ///
    /// - Throws: ``EmbeddedPostgresError`` when `pg_ctl stop` fails.
    public func stop() throws {
        guard case .running = status() else { return }
        try runPostgresTool(try Self.binaryDirectory() + "/pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"], step: "pg_ctl stop")
    }

    /// Restarts the server; open connections break.
    ///
    /// - Throws: ``EmbeddedPostgresError`` when `pg_ctl restart` fails.
    public func restart() throws {
        let options = serverOptions
        try runPostgresTool(
            try Self.binaryDirectory() + "/pg_ctl",
            ["-D", dataDirectory, "-l", logFile, "-o", options, "-m", "fast", "-w", "restart"],
            step: "pg_ctl restart"
        )
    }

    private func createDatabases(_ names: [String], logger: Logger) throws {
        let connection = try PGConnection(
            conninfo: url(database: "postgres"),
            statementTimeoutMilliseconds: 0,
            connectTimeoutSeconds: 5,
            logger: logger
        )
        defer { connection.close() }
        for name in names {
            let exists = try connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)")
            if exists.isEmpty {
                do {
                    _ = try connection.query("CREATE DATABASE \(identifier: name)")
                } catch let error as DatabaseError where error.sqlState == "42P04" {
                    // Created concurrently by another process: fine.
                }
            }
        }
    }

    /// The directory with `initdb` and `pg_ctl`: `pg_config --bindir`, else the newest
    /// `/usr/lib/postgresql/<version>/bin`.
    static func binaryDirectory() throws -> String {
        if let outcome = try? ChildProcess.run("/usr/bin/env", ["pg_config", "--bindir"]), outcome.status == 0,
            FileManager.default.isExecutableFile(atPath: outcome.output + "/initdb")
        {
            return outcome.output
        }
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) })
        where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        throw EmbeddedPostgresError(step: "find PostgreSQL", message: "initdb not found: install the postgresql package (apt-get install postgresql)")
    }

    private func runPostgresTool(_ tool: String, _ arguments: [String], step: String) throws {
        if getuid() == 0 {
            try run("/usr/sbin/runuser", ["-u", "postgres", "--", tool] + arguments, step: step)
        } else {
            try run(tool, arguments, step: step)
        }
    }

    private func run(_ executable: String, _ arguments: [String], step: String) throws {
        let outcome = try ChildProcess.run(executable, arguments)
        guard outcome.status == 0 else {
            var message = outcome.output
            if let log = try? String(contentsOfFile: logFile, encoding: .utf8) {
                message += "\n--- last lines of \(logFile) ---\n" + log.split(separator: "\n").suffix(10).joined(separator: "\n")
            }
            throw EmbeddedPostgresError(step: step, message: message)
        }
    }
}

/// Starting or stopping the embedded cluster failed.
public struct EmbeddedPostgresError: Error, Sendable, CustomStringConvertible {
    /// The step that failed (`initdb`, `pg_ctl start`, …).
    public let step: String
    /// What the tool printed.
    public let message: String

    public var description: String { "embedded PostgreSQL: \(step) failed: \(message)" }
}

extension EmbeddedPostgres {
    /// The port a running cluster in `directory` listens on, from its `postmaster.pid`
    /// (line 4), or `nil` when it does not run.
    public static func runningPort(directory: String) -> Int? {
        let path = EmbeddedPostgres(directory: directory, port: 0).dataDirectory + "/postmaster.pid"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 3 else { return nil }
        return Int(lines[3].trimmingCharacters(in: .whitespaces))
    }
}
