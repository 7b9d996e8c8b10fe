import DataAccess
import Foundation
import Logging
import PageKit
import PluginKit
import Registry

/// The host's settings, read from `config/kooperator.yaml` and `KOOPERATOR_*` variables.
///
/// Every key is read here (or by a feature from its own section), so unknown keys are
/// reported; see `config/kooperator.yaml` for what each setting means.
struct HostConfiguration: Sendable {
    /// Twice the CPU cores (2…32): libpq connections spend most of their time waiting on the
    /// server, but more workers than that only add thread switches (on 2 cores the benchmark's
    /// primary-key route ran at 7400 req/s with 4 connections and 5800–6800 with 8).
    static var defaultPoolSize: Int { min(max(2 * ProcessInfo.processInfo.activeProcessorCount, 2), 32) }

    struct DatabaseSettings: Sendable, Hashable {
        /// `nil`: run the embedded cluster.
        var url: String?
        /// The owner role's URL for migrations on an external server (`database.migrationUrl`);
        /// `nil`: migrations use ``url`` (or, embedded, the cluster's owner role).
        var migrationURL: String?
        /// A standby's URL for the reports declared lag-tolerant (`database.readUrl`); `nil`:
        /// everything reads the primary.
        var readURL: String?
        var poolSize: Int
        var acquireTimeout: Duration
        var maxWaiting: Int
        var statementTimeout: Duration
        var connectTimeout: Duration
        var embeddedDirectory: String
        /// `nil`: the embedded cluster listens on its socket only; a port: on 127.0.0.1 too.
        var embeddedPort: Int?
    }

    struct HTTPSettings: Sendable, Hashable {
        var host: String
        var port: Int
        var maxBodyBytes: Int
        /// How long a connection may send nothing: a request's head or body that stalls this long,
        /// or a kept-alive connection idle this long, is closed (`http.readTimeoutSeconds`).
        var readTimeout: Duration
        /// Whether the host is reached over HTTPS: its cookies are `__Host-` prefixed and marked
        /// `Secure`, and responses carry HSTS. On unless the host listens on a loopback address.
        var secureCookies: Bool
        /// The proxies whose `X-Forwarded-For` tells the client's address (``ClientAddress``).
        var trustedProxies: Set<String>
    }

    /// The Prometheus listener, apart from the public port.
    struct MetricsSettings: Sendable, Hashable {
        /// Where `/metrics` is served; `nil`: nowhere.
        var host: String?
        var port: Int
    }

    /// Whether `host` (a listen address) is reachable from this machine only: `localhost`,
    /// `127.0.0.0/8` or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    struct EventSettings: Sendable, Hashable {
        var pollInterval: Duration
        var maxAttempts: Int
        var retryDelay: Duration
    }

    struct SecuritySettings: Sendable, Hashable {
        /// The identity key as base64 (from `KOOPERATOR_IDENTITY_KEY`); `nil`: use the key file.
        var identityKey: String?
        /// The key file, created with a new key when missing in development; in production a
        /// missing file stops the host. Group or others may not have access to it.
        var identityKeyFile: String
        /// How long an issued token lives unless `--expires-in-days` says otherwise.
        var tokenLifetimeDays: Int
        /// How long a checked token is trusted without asking the database again.
        var tokenCacheSeconds: Int
        /// A browser session ends after this long without a request.
        var sessionIdleMinutes: Int
        /// A browser session ends this long after sign-in, however busy.
        var sessionMaxHours: Int
        /// Failed sign-ins of one user name from one address (and addresses failing one name)
        /// within 15 minutes before it is locked for 15 minutes.
        var signInAttempts: Int
        /// Sign-in attempts from one address within 15 minutes before it is throttled for 15 minutes.
        var signInAttemptsPerAddress: Int
        /// log2 of scrypt's N for new password hashes.
        var passwordHashCost: Int
        /// How many days after an assignment ends its provider's users still see the cooperative.
        var reachGraceDays: Int
        /// "Already registered" answers about people outside a scoped user's reach, per user and hour.
        var identityProbesPerHour: Int
    }

    /// What the host runs as: `development` (the default, `make run`) forgives what production
    /// must not, such as a missing identity key file, which it creates.
    enum Environment: String, Sendable, CaseIterable {
        /// A real installation: a missing identity key stops the host.
        case production
        /// A developer's or tester's machine: a missing identity key file is created with a new key.
        case development
    }

    /// `environment`; `KOOPERATOR_ENVIRONMENT` overrides it.
    var environment: Environment
    var database: DatabaseSettings
    var http: HTTPSettings
    var metrics: MetricsSettings
    var logLevel: Logger.Level
    var events: EventSettings
    var security: SecuritySettings
    /// `mail`: the transport and the daily reminder digest.
    var mail: MailSettings
    /// The decision letters and case numbers (`letters`); `nil` when the section has problems.
    var letters: DecisionLetters?
    /// Where the file was read from.
    var path: String

    /// Reads the host's sections from `root`; problems are recorded in `section`.
    ///
    /// - Parameter environment: The process environment, where `mail.smtp.passwordVariable` names
    ///   the SMTP password.
    init(root section: ConfigSection, path: String, environment variables: [String: String] = [:]) {
        self.path = path
        let environment = section.string("environment", default: "development", allowed: Environment.allCases.map(\.rawValue))
        self.environment = Environment(rawValue: environment) ?? .development
        let database = section.section("database")
        var url = database.optionalString("url")
        let urlGiven = url != nil
        if let given = url, let problem = DatabaseConfiguration.problem(withURL: given) {
            database.problem("url", problem)
            url = nil
        }
        var migrationURL = database.optionalString("migrationUrl")
        if let given = migrationURL {
            if let problem = DatabaseConfiguration.problem(withURL: given) {
                database.problem("migrationUrl", problem)
                migrationURL = nil
            } else if !urlGiven {
                database.problem(
                    "migrationUrl",
                    "is for an external server: set database.url too (the embedded cluster migrates as its own owner role)"
                )
                migrationURL = nil
            }
        }
        var readURL = database.optionalString("readUrl")
        if let given = readURL {
            if let problem = DatabaseConfiguration.problem(withURL: given) {
                database.problem("readUrl", problem)
                readURL = nil
            } else if !urlGiven {
                database.problem("readUrl", "is for a standby of an external server: set database.url too")
                readURL = nil
            }
        }
        let embedded = database.section("embedded")
        // The port opens TCP on 127.0.0.1 only when it is set.
        let embeddedPort = embedded.contains("port") ? embedded.int("port", default: EmbeddedPostgres.defaultPort, range: 1...65535) : nil
        self.database = DatabaseSettings(
            url: url,
            migrationURL: migrationURL,
            readURL: readURL,
            poolSize: database.int("poolSize", default: Self.defaultPoolSize, range: 1...200),
            acquireTimeout: .milliseconds(database.int("acquireTimeoutMs", default: 5000, range: 1...600_000)),
            maxWaiting: database.int("maxWaiting", default: 1024, range: 0...1_000_000),
            statementTimeout: .milliseconds(database.int("statementTimeoutMs", default: 30_000, range: 0...3_600_000)),
            // libpq counts whole seconds, and at least 2.
            connectTimeout: .seconds(database.int("connectTimeoutSeconds", default: 5, range: 2...600)),
            embeddedDirectory: embedded.string("directory", default: ".kooperator/postgres"),
            embeddedPort: embeddedPort
        )
        let http = section.section("http")
        let listen = http.string("host", default: "127.0.0.1")
        let (proxies, notAddresses) = ClientAddress.parse(http.string("trustedProxies", default: ""))
        if !notAddresses.isEmpty {
            http.problem("trustedProxies", "not an IP address: \(notAddresses.joined(separator: ", ")) (give addresses separated by commas)")
        }
        self.http = HTTPSettings(
            host: listen,
            port: http.int("port", default: 8080, range: 0...65535),
            maxBodyBytes: http.int("maxBodyBytes", default: 1_048_576, range: 1024...104_857_600),
            readTimeout: .seconds(http.int("readTimeoutSeconds", default: 30, range: 1...3600)),
            secureCookies: http.bool("secureCookies", default: !Self.isLoopback(listen)),
            trustedProxies: proxies
        )
        let metrics = section.section("metrics")
        self.metrics = Self.metricsSettings(metrics.string("address", default: "127.0.0.1:9464"), section: metrics, http: self.http)
        let logging = section.section("logging")
        let level = logging.string("level", default: "info", allowed: Logger.Level.allCases.map(\.rawValue))
        self.logLevel = Logger.Level(rawValue: level) ?? .info
        let events = section.section("events")
        self.events = EventSettings(
            pollInterval: .milliseconds(events.int("pollIntervalMs", default: 500, range: 10...60_000)),
            maxAttempts: events.int("maxAttempts", default: 8, range: 1...100),
            retryDelay: .milliseconds(events.int("retryDelayMs", default: 1000, range: 1...3_600_000))
        )
        let security = section.section("security")
        var identityKey = security.optionalString("identityKey")
        if identityKey?.isEmpty == true { identityKey = nil }
        if let given = identityKey {
            do {
                _ = try IdentityVault(base64: given)
            } catch {
                security.problem("identityKey", "\(error) (KOOPERATOR_IDENTITY_KEY)")
                identityKey = nil
            }
        }
        self.security = SecuritySettings(
            identityKey: identityKey,
            identityKeyFile: security.string("identityKeyFile", default: ".kooperator/identity.key"),
            tokenLifetimeDays: security.int("tokenLifetimeDays", default: 90, range: 1...3650),
            tokenCacheSeconds: security.int("tokenCacheSeconds", default: 5, range: 0...300),
            sessionIdleMinutes: security.int("sessionIdleMinutes", default: 30, range: 1...1440),
            sessionMaxHours: security.int("sessionMaxHours", default: 12, range: 1...168),
            signInAttempts: security.int("signInAttempts", default: 5, range: 1...100),
            signInAttemptsPerAddress: security.int("signInAttemptsPerAddress", default: 20, range: 1...10_000),
            passwordHashCost: security.int("passwordHashCost", default: PasswordHasher.defaultCost, range: PasswordHasher.costs),
            reachGraceDays: security.int("reachGraceDays", default: 0, range: 0...365),
            identityProbesPerHour: security.int("identityProbesPerHour", default: 10, range: 1...1000)
        )
        if self.environment == .production && self.security.passwordHashCost < PasswordHasher.productionMinimumCost {
            security.problem(
                "passwordHashCost",
                "\(self.security.passwordHashCost) is for tests; production needs at least \(PasswordHasher.productionMinimumCost) "
                    + "(default \(PasswordHasher.defaultCost))"
            )
        }
        self.mail = MailSettings(section: section.section("mail"), http: self.http, environment: variables)
        let letters = section.section("letters")
        self.letters = Self.letters(letters)
        for nested in [database, embedded, http, metrics, logging, events, security, letters] { nested.reportUnreadKeys() }
    }

    /// Reads `metrics.address`: `host:port` (`[::1]:9464` for IPv6), port 0 for any free one, or
    /// empty for no metrics listener; it may not be the public port.
    static func metricsSettings(_ address: String, section: ConfigSection, http: HTTPSettings) -> MetricsSettings {
        let text = address.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return MetricsSettings(host: nil, port: 0) }
        var host = ""
        var portText = ""
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = text[close...].hasPrefix("]:") ? String(text[text.index(close, offsetBy: 2)...]) : ""
        } else if let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else {
            section.problem("address", "'\(text)' is not host:port (e.g. 127.0.0.1:9464, [::1]:9464), or empty for no metrics listener")
            return MetricsSettings(host: nil, port: 0)
        }
        if port != 0 && port == http.port && (host == http.host || host == "0.0.0.0" || http.host == "0.0.0.0") {
            section.problem("address", "\(text) is the public port (http.host, http.port); /metrics gets a listener of its own")
        }
        return MetricsSettings(host: host, port: port)
    }

    /// The pool configuration for a resolved URL.
    /// The pool on `url`, with a pool on `database.readUrl` beside it when one is set.
    func database(url: String, logger: Logger) -> Database {
        let replica = database.readURL.map { Database(configuration: databaseConfiguration(url: $0), logger: logger) }
        return Database(configuration: databaseConfiguration(url: url), replica: replica, logger: logger)
    }

    func databaseConfiguration(url: String) -> DatabaseConfiguration {
        DatabaseConfiguration(
            url: url,
            poolSize: database.poolSize,
            acquireTimeout: database.acquireTimeout,
            maxWaiting: database.maxWaiting,
            statementTimeout: database.statementTimeout,
            connectTimeout: database.connectTimeout
        )
    }

    /// The embedded cluster, resolved against the config file's project directory: on its
    /// socket only, unless `database.embedded.port` asks for TCP on 127.0.0.1 too.
    var embeddedPostgres: EmbeddedPostgres {
        EmbeddedPostgres(
            directory: database.embeddedDirectory,
            port: database.embeddedPort ?? EmbeddedPostgres.defaultPort,
            listensOnTCP: database.embeddedPort != nil
        )
    }
}
