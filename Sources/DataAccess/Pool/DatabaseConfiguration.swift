/// How to reach PostgreSQL and how large the connection pool is.
public struct DatabaseConfiguration: Sendable, Hashable {
    /// A libpq connection string: `postgresql://user@host:port/db` or `host=… dbname=…`.
    public var url: String
    /// The number of connections, and of threads running their blocking calls.
    public var poolSize: Int
    /// How long a caller waits for a free connection before ``DatabaseError/Code/poolTimeout``.
    public var acquireTimeout: Duration
    /// How many callers may wait at once; more fail fast with ``DatabaseError/Code/poolExhausted``.
    public var maxWaiting: Int
    /// The server-side `statement_timeout`; zero means none.
    public var statementTimeout: Duration
    /// How long opening a connection may take.
    public var connectTimeout: Duration

    /// Creates a configuration; the defaults suit a small host on two to eight cores.
    public init(
        url: String,
        poolSize: Int = 8,
        acquireTimeout: Duration = .seconds(5),
        maxWaiting: Int = 1024,
        statementTimeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(5)
    ) {
        self.url = url
        self.poolSize = poolSize
        self.acquireTimeout = acquireTimeout
        self.maxWaiting = maxWaiting
        self.statementTimeout = statementTimeout
        self.connectTimeout = connectTimeout
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
