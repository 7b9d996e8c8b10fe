/// The one error type of the data-access layer.
///
/// It carries a ``Code`` (what kind of failure), a message that is safe to show a user or
/// write to a log (no bound values, no connection secrets), the PostgreSQL SQLSTATE when the
/// server reported one, and the server's detail for ``debugDescription``.
///
/// The HTTP edge maps it without parsing text: ``isUniqueViolation`` → 409,
/// ``isForeignKeyViolation`` / ``isCheckViolation`` / ``isNotNullViolation`` → 422,
/// ``isUnavailable`` → 503.
public struct DatabaseError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case connectionFailed = "connection failed"
            case connectionLost = "connection lost"
            case poolTimeout = "no connection available in time"
            case poolExhausted = "too many requests waiting for a connection"
            case poolClosed = "database pool is shut down"
            case server = "server error"
            case decoding = "cannot decode column"
            case missingColumn = "no such column"
            case noRows = "no rows"
            case migration = "migration failed"
        }
        let base: Base

        /// The server could not be reached.
        public static let connectionFailed = Code(base: .connectionFailed)
        /// An open connection broke while in use (the server died, restarted or failed over):
        /// what was sent on it may not have run, and a read may be tried again on a new one.
        public static let connectionLost = Code(base: .connectionLost)
        /// Every connection stayed busy for the whole acquire timeout.
        public static let poolTimeout = Code(base: .poolTimeout)
        /// The queue of callers waiting for a connection is full; the caller should back off.
        public static let poolExhausted = Code(base: .poolExhausted)
        /// The pool was shut down.
        public static let poolClosed = Code(base: .poolClosed)
        /// PostgreSQL rejected the statement; see ``DatabaseError/sqlState``.
        public static let server = Code(base: .server)
        /// A column's value could not be read as the requested Swift type.
        public static let decoding = Code(base: .decoding)
        /// The result has no column of the requested name.
        public static let missingColumn = Code(base: .missingColumn)
        /// A single row was expected and the result was empty.
        public static let noRows = Code(base: .noRows)
        /// A migration step failed or an applied step was changed.
        public static let migration = Code(base: .migration)

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// A message safe to show and log.
    public let message: String
    /// The five-character SQLSTATE, when PostgreSQL reported one (e.g. `23505`).
    public let sqlState: String?
    /// The constraint PostgreSQL named, for constraint violations.
    public let constraint: String?
    /// The table PostgreSQL named, if any.
    public let table: String?
    /// The column PostgreSQL named (not-null violations), or the column being decoded.
    public let column: String?
    /// The server's primary message and detail, or another underlying cause. May contain data;
    /// shown only by ``debugDescription``.
    public let detail: String?

    /// Creates an error.
    public init(
        code: Code,
        message: String,
        sqlState: String? = nil,
        constraint: String? = nil,
        table: String? = nil,
        column: String? = nil,
        detail: String? = nil
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.constraint = constraint
        self.table = table
        self.column = column
        self.detail = detail
    }

    /// A duplicate key (SQLSTATE 23505).
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// A reference to a row that does not exist, or a delete of a referenced row (23503).
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    /// A `CHECK` constraint failed (23514).
    public var isCheckViolation: Bool { sqlState == "23514" }
    /// A `NULL` in a `NOT NULL` column (23502).
    public var isNotNullViolation: Bool { sqlState == "23502" }
    /// A serialization failure or deadlock (40001, 40P01): the transaction may be retried.
    public var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }
    /// The connection broke while in use: ``Code/connectionLost``, or the server ended the session
    /// (57P01 administrator command, as in a switch-over; 57P02 crash of another backend). Work
    /// that only reads may be run again on a new connection, which the pool opens on whichever
    /// node of a multi-host URL is the primary now.
    public var isConnectionLost: Bool {
        code == .connectionLost || sqlState == "57P01" || sqlState == "57P02"
    }
    /// The database cannot serve the request now (down, restarting, overloaded, timed out).
    public var isUnavailable: Bool {
        switch code.base {
        case .connectionFailed, .connectionLost, .poolTimeout, .poolExhausted, .poolClosed: return true
        case .server:
            // 08: connection exception; 57P01–57P03: admin shutdown, crash shutdown, cannot connect now;
            // 53: insufficient resources; 57014: statement timeout / cancel.
            guard let state = sqlState else { return false }
            return state.hasPrefix("08") || state.hasPrefix("53") || ["57P01", "57P02", "57P03", "57014"].contains(state)
        default: return false
        }
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        return text
    }

    public var debugDescription: String {
        var text = description
        if let constraint { text += ", constraint \(constraint)" }
        if let table { text += ", table \(table)" }
        if let column { text += ", column \(column)" }
        if let detail { text += "\n\(detail)" }
        return text
    }
}
