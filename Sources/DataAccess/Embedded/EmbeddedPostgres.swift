import Foundation
public import Logging

/// A private PostgreSQL cluster in a directory of the project, made from the system's
/// PostgreSQL binaries: the host's default when no database URL is configured.
///
/// Fit for a small installation's production: every connection proves its role's password
/// (SCRAM, `scram-sha-256` for socket and TCP lines of `pg_hba.conf`), the generated passwords
/// are kept in the cluster's folder (``passwordFile``, mode 0600), the server listens on a Unix
/// socket in that folder and on TCP (127.0.0.1) only when asked, and `fsync` and
/// `full_page_writes` are on, so a crash of the machine loses no committed write. Three roles
/// (``EmbeddedCredentials/Role``): the superuser, the owner that migrations run as, and the
/// serving role the host connects as, which owns nothing.
///
/// A cluster made by an earlier version (`trust`, no password file) is upgraded in place on
/// start: passwords set, roles made, ownership of the data moved from the superuser to the owner,
/// `pg_hba.conf` rewritten and reloaded. No data is touched.
///
/// `initdb` and `pg_ctl` refuse to run as root, so as root they run as the `postgres` user
/// (`runuser -u postgres`), which then owns the data directory.
///
/// ```swift
/// let server = EmbeddedPostgres(directory: ".kooperator/postgres")
/// try server.start(creating: ["kooperator"], logger: logger)   // initdb on first use, then pg_ctl start
/// let url = try server.url(database: "kooperator", as: .server)
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

    /// The port when none is configured: it names the socket (`.s.PGSQL.54329`).
    public static let defaultPort = 54329

    /// The cluster's directory (data in `data/`, socket in `socket/`, log in `server.log`,
    /// passwords in `pgpass`).
    public let directory: String
    /// The port: the socket's name, and the TCP port on 127.0.0.1 when ``listensOnTCP``.
    public let port: Int
    /// Whether the server also listens on TCP, on 127.0.0.1 only (off by default: the socket in
    /// the cluster's folder is the only way in).
    public let listensOnTCP: Bool
    /// The server's `max_connections` (200; the test cluster, shared by every test's pools and
    /// hosts running in parallel, asks for more).
    public var maxConnections = 200
    /// Whether `fsync` and `full_page_writes` are on (the default, and the product's setting).
    /// Only the tests' throw-away clusters turn it off, for speed.
    public var durable = true

    /// The server options `pg_ctl` passes on start and restart.
    var serverOptions: String {
        var options = "-p \(port) -k \(socketDirectory) -c listen_addresses=\(listensOnTCP ? "127.0.0.1" : "''")"
        options += " -c max_connections=\(maxConnections) -c password_encryption=scram-sha-256"
        options += durable ? " -c fsync=on -c full_page_writes=on" : " -c fsync=off"
        return options
    }

    /// Describes a cluster; nothing happens until ``start(creating:logger:)``.
    ///
    /// As root, the server runs as `postgres`, which must be able to reach the directory; when
    /// a parent folder is closed to other users (a private checkout or CI folder), the cluster
    /// lives in `/var/tmp/kooperator-postgres/<hash of the requested path>` instead, still one
    /// cluster per requested directory.
    ///
    /// - Parameters:
    ///   - directory: Where the cluster lives; made absolute against the current directory.
    ///   - port: The socket's port number, and the TCP port when `listensOnTCP`.
    ///   - listensOnTCP: Whether to listen on 127.0.0.1:`port` as well as on the socket.
    public init(directory: String, port: Int = defaultPort, listensOnTCP: Bool = false) {
        let requested = URL(fileURLWithPath: directory).standardizedFileURL.path
        self.requestedDirectory = requested
        self.directory = Self.reachableByServer(requested) ? requested : Self.fallbackDirectory(for: requested)
        self.port = port
        self.listensOnTCP = listensOnTCP
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
    var logFile: String { directory + "/server.log" }

    /// Where the server's Unix socket is: `socket/` in the cluster's folder, unless that path is
    /// too long for a socket (about 100 bytes), then a folder of its own under `/var/tmp`.
    public var socketDirectory: String {
        let inFolder = directory + "/socket"
        guard (inFolder + "/.s.PGSQL.\(port)").utf8.count >= 100 else { return inFolder }
        return Self.fallbackDirectory(for: inFolder)
    }

    /// The file with the roles' passwords (libpq's password file format, mode 0600).
    public var passwordFile: String { directory + "/" + EmbeddedCredentials.fileName }

    /// The roles' passwords, from ``passwordFile``.
    ///
    /// - Throws: ``EmbeddedPostgresError`` when the file is missing (the cluster was never
    ///   started by this version), open to others or damaged.
    public func credentials() throws -> EmbeddedCredentials {
        guard let credentials = try EmbeddedCredentials.read(path: passwordFile) else {
            throw EmbeddedPostgresError(
                step: "password file",
                message: "\(passwordFile) does not exist: start the cluster first (kooperator db start)"
            )
        }
        return credentials
    }

    /// A libpq URL for a database of this cluster as `role`, over the Unix socket, with the
    /// role's password.
    ///
    /// - Throws: ``EmbeddedPostgresError`` when the password file cannot be read.
    public func url(database: String, as role: EmbeddedCredentials.Role) throws -> String {
        url(database: database, role: role, password: try credentials().password(for: role))
    }

    func url(database: String, role: EmbeddedCredentials.Role, password: String) -> String {
        // The socket's path is percent-encoded, so the URL's last "/" is the one before the database.
        let host = socketDirectory.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? socketDirectory
        return "postgresql://\(role.rawValue):\(password)@/\(database)?host=\(host)&port=\(port)"
    }

    /// Where to reach the server, without any password: for messages.
    public var location: String {
        "socket \(socketDirectory) port \(port)" + (listensOnTCP ? ", TCP 127.0.0.1:\(port)" : "")
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

    /// Creates the cluster if needed, starts it if stopped, makes its roles and their passwords
    /// (upgrading a cluster of an earlier version in place), and creates `databases` that are
    /// missing, owned by the owner role.
    ///
    /// - Returns: `true` when this call started the server, or took over one left running by a
    ///   process that has ended (so the caller should stop it).
    /// - Throws: ``EmbeddedPostgresError`` naming the step that failed and the server log.
    @discardableResult
    public func start(creating databases: [String] = [], logger: Logger) throws -> Bool {
        let binaries = try Self.binaryDirectory()
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try fileManager.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        if asRoot { try run("/bin/chown", ["postgres:postgres", directory, socketDirectory], step: "chown") }

        if directory != requestedDirectory {
            logger.notice("\(requestedDirectory) is not reachable by the postgres user; the embedded cluster lives in \(directory)")
        }
        // The passwords exist before the roles get them: a start that stops half-way finds them again.
        let (credentials, madeCredentials) = try EmbeddedCredentials.readOrCreate(path: passwordFile)
        if madeCredentials { logger.info("made the embedded cluster's role passwords in \(passwordFile) (mode 0600)") }
        if status() == .notInitialized {
            logger.info("creating an embedded PostgreSQL cluster in \(directory)")
            try fileManager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            if asRoot { try run("/bin/chown", ["postgres:postgres", dataDirectory], step: "chown") }
            chmod(dataDirectory, 0o700)
            try initdb(binaries: binaries, superuserPassword: credentials.password(for: .superuser))
        }
        var started = false
        if case .running = status() {
            if let starter = startedBy, kill(pid_t(starter), 0) != 0, errno == ESRCH {
                // The process that started it ended without stopping it (a host killed, say):
                // the server is nobody's now, so this process takes it over and stops it later.
                logger.notice(
                    "the embedded PostgreSQL in \(directory) was left running by process \(starter), which has ended; taking it over"
                )
                started = true
            } else {
                logger.debug("embedded PostgreSQL already running in \(directory)")
            }
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
            logger.info("started embedded PostgreSQL (\(location))")
        }
        do {
            try secure(credentials: credentials, databases: databases, logger: logger)
        } catch {
            // A server this call started is not left running without its roles or pg_hba.conf.
            if started { try? stop() }
            throw error
        }
        if started { try? String(getpid()).write(toFile: startedByFile, atomically: true, encoding: .utf8) }
        return started
    }

    /// Where the process that started the server (and will stop it) writes its pid; absent
    /// for a server started by hand (``release()``) or stopped.
    public var startedByFile: String { directory + "/started-by.pid" }

    /// The pid of the process that started the running server and is to stop it, if any.
    public var startedBy: Int? {
        (try? String(contentsOfFile: startedByFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Leaves the running server to nobody: a later process uses it and leaves it running, as
    /// for `kooperator db start`, instead of taking it over when this process has ended.
    public func release() {
        unlink(startedByFile)
    }

    /// `initdb` with password authentication from the first moment: the superuser's password
    /// goes through a file only `postgres` (or the caller) can read, removed afterwards.
    private func initdb(binaries: String, superuserPassword: String) throws {
        let passwordPath = directory + "/initdb-password"
        unlink(passwordPath)
        let descriptor = open(passwordPath, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw EmbeddedPostgresError(step: "initdb", message: "cannot create \(passwordPath): \(String(cString: strerror(errno)))")
        }
        let bytes = Array((superuserPassword + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        defer { unlink(passwordPath) }
        guard written == bytes.count else { throw EmbeddedPostgresError(step: "initdb", message: "cannot write \(passwordPath)") }
        if getuid() == 0 { try run("/bin/chown", ["postgres:postgres", passwordPath], step: "chown") }
        try runPostgresTool(
            binaries + "/initdb",
            [
                "-D", dataDirectory, "-U", EmbeddedCredentials.Role.superuser.rawValue, "--auth=scram-sha-256", "--pwfile=" + passwordPath,
                "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions",
            ],
            step: "initdb"
        )
    }

    /// Stops the server (fast shutdown: open transactions are rolled back).
    ///
    /// - Throws: ``EmbeddedPostgresError`` when `pg_ctl stop` fails.
    public func stop() throws {
        guard case .running = status() else {
            release()
            return
        }
        try runPostgresTool(try Self.binaryDirectory() + "/pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"], step: "pg_ctl stop")
        release()
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

    func runPostgresTool(_ tool: String, _ arguments: [String], step: String) throws {
        if getuid() == 0 {
            try run("/usr/sbin/runuser", ["-u", "postgres", "--", tool] + arguments, step: step)
        } else {
            try run(tool, arguments, step: step)
        }
    }

    func run(_ executable: String, _ arguments: [String], step: String) throws {
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
        let path = EmbeddedPostgres(directory: directory).dataDirectory + "/postmaster.pid"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 3 else { return nil }
        return Int(lines[3].trimmingCharacters(in: .whitespaces))
    }
}
