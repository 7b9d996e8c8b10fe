internal import CLibPQ
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libpq connection. This file and nowhere else talks to libpq.
///
/// A `PGconn` may move between threads but serves one caller at a time; the pool enforces that
/// (hence `@unchecked Sendable`). Every call here blocks, so it runs on the pool's own threads,
/// never on Swift's cooperative pool.
final class PGConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private let noticeSink: NoticeSink

    /// Connects with `conninfo` (a `postgresql://` URL or `key=value` string) and the session
    /// settings the decoders rely on (UTC, ISO dates) plus a statement timeout.
    ///
    /// Prepared statements always use their generic plan (`plan_cache_mode`): a statement's plan
    /// is then the same on every run and no run pays for planning. A statement whose best plan
    /// depends on its values says so with ``SQL/plannedForEachRun()``: it is not prepared, and
    /// runs with a custom plan (`query`; not in a pipeline or at a commit).
    init(conninfo: String, statementTimeoutMilliseconds: Int, connectTimeoutSeconds: Int, logger: Logger) throws {
        self.noticeSink = NoticeSink(logger: logger)
        var options = "-c TimeZone=UTC -c DateStyle=ISO -c client_min_messages=warning -c plan_cache_mode=force_generic_plan"
        if statementTimeoutMilliseconds > 0 { options += " -c statement_timeout=\(statementTimeoutMilliseconds)" }
        let keywords = ["dbname", "options", "application_name", "connect_timeout", "fallback_application_name"]
        let values = [conninfo, options, "kooperator", String(max(connectTimeoutSeconds, 1)), "kooperator"]
        let conn = withCStringArray(keywords) { keys in
            withCStringArray(values) { vals in PQconnectdbParams(keys, vals, 1) }
        }
        guard let conn else {
            throw DatabaseError(code: .connectionFailed, message: "cannot allocate a PostgreSQL connection")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let detail = String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines
            PQfinish(conn)
            throw DatabaseError(code: .connectionFailed, message: "cannot connect to PostgreSQL", detail: detail)
        }
        self.handle = conn
        PQsetNoticeReceiver(
            conn,
            { context, result in
                guard let context, let result else { return }
                let sink = Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue()
                sink.log(String(cString: PQresultErrorMessage(result)))
            },
            Unmanaged.passUnretained(noticeSink).toOpaque()
        )
    }

    deinit { close() }

    /// Closes the connection; later calls fail with ``DatabaseError/Code/connectionLost``.
    func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// Whether the connection is unusable (closed, or broken by a server restart).
    var isBroken: Bool {
        guard let handle else { return true }
        return PQstatus(handle) != CONNECTION_OK
    }

    /// Whether a transaction is open (or failed and not yet rolled back).
    var inTransaction: Bool {
        guard let handle else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// Checks, without a round trip, whether the server closed the connection while it sat
    /// idle, and reconnects if so.
    ///
    /// An idle connection receives nothing unless the server is going away: a shutdown or
    /// restart sends a FATAL message and closes the socket. So a readable socket (tested with a
    /// zero-timeout `poll`) means the connection is stale.
    func revalidate() -> Revalidation {
        guard let handle else { return .broken }
        if PQstatus(handle) == CONNECTION_OK {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 0) == 0 { return .healthy }
        }
        PQreset(handle)
        preparedStatements.removeAll()  // the new session has none
        return PQstatus(handle) == CONNECTION_OK ? .reconnected : .broken
    }

    enum Revalidation {
        case healthy
        case reconnected
        case broken
    }

    /// Runs one statement with its bound parameters (`PQexecParams`, text format).
    func query(_ sql: SQL) throws -> Rows {
        guard let handle else {
            throw DatabaseError(code: .connectionLost, message: "the connection is closed")
        }
        let bindings = sql.bindings
        let text = sql.text
        // Statements with parameters are the ones a program repeats: prepare each once per
        // connection, so later runs skip parsing and planning.
        if !bindings.isEmpty, !sql.plansForEachRun, let name = try preparedStatement(for: text, bindings: bindings, handle: handle) {
            let result = withOptionalCStringArray(bindings.lazy.map(\.value)) { values in
                PQexecPrepared(handle, name, Int32(bindings.count), values, nil, nil, 0)
            }
            do {
                return try consume(result, handle: handle)
            } catch let error as DatabaseError where error.sqlState == "0A000" && !inTransaction {
                // "cached plan must not change result type": a table changed under the statement.
                preparedStatements[text] = nil
                _ = try? consume(PQexec(handle, "DEALLOCATE \(name)"), handle: handle)
                return try queryUnprepared(text, bindings: bindings, handle: handle)
            }
        }
        guard sql.plansForEachRun, !bindings.isEmpty else { return try queryUnprepared(text, bindings: bindings, handle: handle) }
        // The session's `force_generic_plan` holds for the unnamed statement too, so a statement
        // sent unprepared would still get a plan blind to its values.
        guard inTransaction else {
            try executeScript("SET plan_cache_mode = force_custom_plan")
            defer { _ = try? executeScript("SET plan_cache_mode = force_generic_plan") }
            return try queryUnprepared(text, bindings: bindings, handle: handle)
        }
        // In a transaction the mode changes for the transaction only and goes back to what it
        // was there: a plain SET would outlive the transaction's own `SET LOCAL` (the ESF import
        // plans every statement for its values) and leave it on generic plans. A rollback or the
        // commit restores the session's mode either way.
        let previous = try queryUnprepared(
            "SELECT current_setting('plan_cache_mode') AS mode, set_config('plan_cache_mode', 'force_custom_plan', true)",
            bindings: [],
            handle: handle
        ).single().decode("mode", as: String.self)
        guard previous != "force_custom_plan" else { return try queryUnprepared(text, bindings: bindings, handle: handle) }
        let rows = try queryUnprepared(text, bindings: bindings, handle: handle)
        try executeScript(previous == "auto" ? "SET LOCAL plan_cache_mode = auto" : "SET LOCAL plan_cache_mode = force_generic_plan")
        return rows
    }

    private func queryUnprepared(_ text: String, bindings: [SQLBinding], handle: OpaquePointer) throws -> Rows {
        let types = bindings.map { $0.type.oid }
        let result: OpaquePointer? = types.withUnsafeBufferPointer { typeBuffer in
            withOptionalCStringArray(bindings.lazy.map(\.value)) { values in
                PQexecParams(handle, text, Int32(bindings.count), typeBuffer.baseAddress, values, nil, nil, 0)
            }
        }
        return try consume(result, handle: handle)
    }

    /// The server-side name of `text`, preparing it on first use; `nil` once the cache is full.
    private func preparedStatement(for text: String, bindings: [SQLBinding], handle: OpaquePointer) throws -> String? {
        if let name = preparedStatements[text] { return name }
        guard preparedStatements.count < Self.preparedStatementLimit else { return nil }
        preparedStatementCounter += 1
        let name = "k\(preparedStatementCounter)"
        let types = bindings.map { $0.type.oid }
        let result = types.withUnsafeBufferPointer { PQprepare(handle, name, text, Int32(bindings.count), $0.baseAddress) }
        _ = try consume(result, handle: handle)
        preparedStatements[text] = name
        return name
    }

    /// Prepared statements per connection; beyond this, statements run unprepared.
    static let preparedStatementLimit = 512
    private var preparedStatements: [String: String] = [:]
    private var preparedStatementCounter = 0

    /// Runs `statements` and then `COMMIT` in one round trip (libpq pipeline mode, one sync
    /// segment): a failing statement aborts the ones after it, `COMMIT` included, and its error
    /// is thrown with the transaction left for the caller to roll back.
    func commit(after statements: [SQL]) throws {
        guard let handle else {
            throw DatabaseError(code: .connectionLost, message: "the connection is closed")
        }
        // Prepare what is new first (a round trip each, once per connection). `COMMIT` too: in
        // a pipeline it cannot go as a simple query, and unprepared it would be parsed every time.
        var names: [String?] = []
        for sql in statements {
            let prepare = !sql.bindings.isEmpty && !sql.plansForEachRun
            names.append(prepare ? try preparedStatement(for: sql.text, bindings: sql.bindings, handle: handle) : nil)
        }
        let commitName = statements.isEmpty ? nil : try preparedStatement(for: "COMMIT", bindings: [], handle: handle)
        guard !statements.isEmpty, PQenterPipelineMode(handle) == 1 else {
            for sql in statements { _ = try query(sql) }
            return try executeScript("COMMIT")
        }
        var sent = 0
        for (sql, name) in zip(statements, names) {
            let bindings = sql.bindings
            let ok: Int32 = withOptionalCStringArray(bindings.lazy.map(\.value)) { values in
                if let name { return PQsendQueryPrepared(handle, name, Int32(bindings.count), values, nil, nil, 0) }
                let types = bindings.map { $0.type.oid }
                return types.withUnsafeBufferPointer {
                    PQsendQueryParams(handle, sql.text, Int32(bindings.count), $0.baseAddress, values, nil, nil, 0)
                }
            }
            guard ok == 1 else { break }
            sent += 1
        }
        if sent == statements.count {
            let ok =
                commitName.map { PQsendQueryPrepared(handle, $0, 0, nil, nil, nil, 0) }
                ?? PQsendQueryParams(handle, "COMMIT", 0, nil, nil, nil, nil, 0)
            if ok == 1 { sent += 1 }
        }
        guard PQpipelineSync(handle) == 1 else {
            _ = PQexitPipelineMode(handle)
            throw connectionError(handle)
        }
        var failure: (any Error)?
        for _ in 0..<sent {
            // Each command gives its result (an error, or "aborted" after an earlier error), then NULL.
            guard let result = PQgetResult(handle) else {
                failure = failure ?? connectionError(handle)
                break
            }
            if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                PQclear(result)
            } else {
                do { _ = try consume(result, handle: handle) } catch { failure = failure ?? error }
            }
            while let extra = PQgetResult(handle) { PQclear(extra) }
        }
        // The sync marker ends the segment.
        if let sync = PQgetResult(handle) { PQclear(sync) }
        _ = PQexitPipelineMode(handle)
        if let failure { throw failure }
        if sent < statements.count + 1 { throw connectionError(handle) }
    }

    /// Runs independent statements in one round trip (libpq pipeline mode), each in its own sync
    /// segment, so each runs in its own implicit transaction and one failing statement does not
    /// affect the others. Outside a transaction only; inside one they run one by one.
    ///
    /// - Returns: One result per statement, in order.
    func pipeline(_ statements: [SQL]) -> [Result<Rows, any Error>] {
        guard statements.count > 1, let handle, !inTransaction else {
            return statements.map { sql in Result { try query(sql) } }
        }
        // Prepare what is new first (a round trip each, once per connection); a statement that
        // fails to prepare is sent unprepared and reports its error in its own segment.
        let names: [String?] = statements.map { sql in
            guard !sql.bindings.isEmpty, !sql.plansForEachRun else { return nil }
            return try? preparedStatement(for: sql.text, bindings: sql.bindings, handle: handle)
        }
        guard !isBroken, PQenterPipelineMode(handle) == 1 else {
            return statements.map { sql in Result { try query(sql) } }
        }
        // Non-blocking while sending: a large batch could otherwise fill the socket while the
        // server, blocked on sending its results, stops reading (see `flush`).
        _ = PQsetnonblocking(handle, 1)
        var sent = 0
        for (sql, name) in zip(statements, names) {
            let bindings = sql.bindings
            let ok: Int32 = withOptionalCStringArray(bindings.lazy.map(\.value)) { values in
                if let name { return PQsendQueryPrepared(handle, name, Int32(bindings.count), values, nil, nil, 0) }
                let types = bindings.map { $0.type.oid }
                return types.withUnsafeBufferPointer {
                    PQsendQueryParams(handle, sql.text, Int32(bindings.count), $0.baseAddress, values, nil, nil, 0)
                }
            }
            guard ok == 1, PQpipelineSync(handle) == 1 else { break }
            sent += 1
        }
        var intact = flush(handle) && PQsetnonblocking(handle, 0) == 0
        var results: [Result<Rows, any Error>] = []
        results.reserveCapacity(statements.count)
        // Per segment: the statement's result, NULL, then the sync marker. Two NULLs in a row
        // mean nothing more will come (the connection is gone).
        while intact, results.count < sent {
            var outcome: Result<Rows, any Error>?
            var nulls = 0
            while true {
                guard let result = PQgetResult(handle) else {
                    nulls += 1
                    if nulls == 2 || isBroken {
                        intact = false
                        break
                    }
                    continue
                }
                nulls = 0
                if PQresultStatus(result) == PGRES_PIPELINE_SYNC {
                    PQclear(result)
                    break
                }
                if outcome == nil { outcome = Result { try consume(result, handle: handle) } } else { PQclear(result) }
            }
            if let outcome { results.append(outcome) }
            if outcome == nil || !intact { break }
        }
        if PQexitPipelineMode(handle) != 1 || PQisnonblocking(handle) != 0 {
            // Results still pending or the mode stuck: the connection is no longer usable.
            close()
        }
        let lost = DatabaseError(code: .connectionLost, message: "the connection to PostgreSQL was lost")
        while results.count < statements.count { results.append(.failure(lost)) }
        // "cached plan must not change result type": a table changed under the statement; as in
        // `query`, forget the statement and run it again unprepared.
        for (index, name) in names.enumerated() {
            guard let name, !isBroken, case .failure(let error as DatabaseError) = results[index], error.sqlState == "0A000" else { continue }
            preparedStatements[statements[index].text] = nil
            _ = try? consume(PQexec(handle, "DEALLOCATE \(name)"), handle: handle)
            results[index] = Result { try queryUnprepared(statements[index].text, bindings: statements[index].bindings, handle: handle) }
        }
        return results
    }

    /// Sends what libpq has buffered (non-blocking mode), reading whatever the server sends
    /// meanwhile into libpq's buffer, so neither side waits on the other's full socket.
    ///
    /// - Returns: Whether everything was sent.
    private func flush(_ handle: OpaquePointer) -> Bool {
        while true {
            switch PQflush(handle) {
            case 0: return true
            case 1: break
            default: return false
            }
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN | POLLOUT), revents: 0)
            if poll(&descriptor, 1, -1) < 0 {
                if errno == EINTR { continue }
                return false
            }
            if descriptor.revents & Int16(POLLIN) != 0, PQconsumeInput(handle) == 0 { return false }
        }
    }

    /// Runs `statement` (a `COPY … FROM STDIN`, text format, built from code constants) and
    /// streams `rows` to it, each escaped for the text format (`\N` for `NULL`), in buffers of
    /// about 64 KiB.
    ///
    /// A row with the wrong number of values ends the `COPY` with an error, so the server
    /// discards what it received; the connection stays usable (the transaction, if any, is then
    /// failed and rolled back by its owner).
    ///
    /// - Returns: The number of rows copied.
    func copy(_ statement: String, columnCount: Int, rows: some Sequence<[String?]>) throws -> Int {
        guard let handle else {
            throw DatabaseError(code: .connectionLost, message: "the connection is closed")
        }
        guard let start = PQexec(handle, statement) else { throw connectionError(handle) }
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            _ = try consume(start, handle: handle)
            throw DatabaseError(code: .server, message: "the statement did not start a COPY FROM STDIN")
        }
        PQclear(start)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(Self.copyBufferSize + 4096)
        var problem: String?
        var sendFailed = false
        func send() -> Bool {
            defer { buffer.removeAll(keepingCapacity: true) }
            guard !buffer.isEmpty else { return true }
            return buffer.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) == 1 }
            }
        }
        for row in rows {
            guard row.count == columnCount else {
                problem = "a row has \(row.count) values for \(columnCount) columns"
                break
            }
            for (index, value) in row.enumerated() {
                if index > 0 { buffer.append(9) }
                guard var value else {
                    buffer.append(contentsOf: [92, 78])  // \N
                    continue
                }
                value.withUTF8 { utf8 in
                    for byte in utf8 {
                        switch byte {
                        case 92: buffer.append(contentsOf: [92, 92])  // backslash
                        case 9: buffer.append(contentsOf: [92, 116])  // \t
                        case 10: buffer.append(contentsOf: [92, 110])  // \n
                        case 13: buffer.append(contentsOf: [92, 114])  // \r
                        default: buffer.append(byte)
                        }
                    }
                }
            }
            buffer.append(10)
            if buffer.count >= Self.copyBufferSize, !send() {
                sendFailed = true
                break
            }
        }
        if problem == nil, !sendFailed, !send() { sendFailed = true }
        if sendFailed { throw connectionError(handle) }
        guard PQputCopyEnd(handle, problem) == 1 else { throw connectionError(handle) }
        var failure: (any Error)?
        var copied = 0
        while let result = PQgetResult(handle) {
            do { copied = try consume(result, handle: handle).affectedRows } catch { failure = failure ?? error }
        }
        // A row of the wrong width is the caller's mistake; the server's answer ("COPY from stdin
        // failed: …") carries the reason given to `PQputCopyEnd`.
        if let failure { throw failure }
        return copied
    }

    /// Bytes gathered before each `PQputCopyData`.
    static let copyBufferSize = 65_536

    /// Runs a script of one or more statements with no parameters (`PQexec`); only migrations
    /// use this, and their text is fixed in code.
    func executeScript(_ text: String) throws {
        guard let handle else {
            throw DatabaseError(code: .connectionLost, message: "the connection is closed")
        }
        _ = try consume(PQexec(handle, text), handle: handle)
    }

    private func consume(_ result: OpaquePointer?, handle: OpaquePointer) throws -> Rows {
        guard let result else {
            throw connectionError(handle)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return Rows(columns: [], values: [], affectedRows: Int(String(cString: PQcmdTuples(result))) ?? 0)
        case PGRES_TUPLES_OK:
            let rowCount = Int(PQntuples(result))
            let columnCount = Int(PQnfields(result))
            var columns: [Rows.Column] = []
            columns.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                columns.append(
                    Rows.Column(name: String(cString: PQfname(result, Int32(column))), type: SQLType(oid: PQftype(result, Int32(column))))
                )
            }
            var values: [String?] = []
            values.reserveCapacity(rowCount * columnCount)
            for row in 0..<rowCount {
                for column in 0..<columnCount {
                    if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                        values.append(nil)
                    } else {
                        values.append(String(cString: PQgetvalue(result, Int32(row), Int32(column))))
                    }
                }
            }
            return Rows(columns: columns, values: values, affectedRows: rowCount)
        default:
            func field(_ code: Character) -> String? {
                guard let pointer = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
                return String(cString: pointer)
            }
            guard let sqlState = field("C") else {
                throw connectionError(handle)
            }
            let primary = field("M") ?? "unknown error"
            var detail = primary
            if let more = field("D") { detail += "\nDETAIL: \(more)" }
            if let hint = field("H") { detail += "\nHINT: \(hint)" }
            if let position = field("P") { detail += "\nPOSITION: \(position)" }
            let constraint = field("n")
            let table = field("t")
            let column = field("c")
            throw DatabaseError(
                code: sqlState.hasPrefix("08") ? .connectionLost : .server,
                message: DatabaseError.safeMessage(sqlState: sqlState, primary: primary, constraint: constraint, table: table, column: column),
                sqlState: sqlState,
                constraint: constraint,
                table: table,
                column: column,
                detail: detail
            )
        }
    }

    private func connectionError(_ handle: OpaquePointer) -> DatabaseError {
        DatabaseError(
            code: .connectionLost,
            message: "the connection to PostgreSQL was lost",
            detail: String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines
        )
    }
}

/// Forwards server notices (warnings) to swift-log instead of libpq's default of stderr.
final class NoticeSink: @unchecked Sendable {
    let logger: Logger
    init(logger: Logger) { self.logger = logger }
    func log(_ message: String) {
        logger.notice("postgres: \(message.trimmingTrailingNewlines)")
    }
}

// MARK: - C string arrays

private func withCStringArray<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result) -> Result {
    withOptionalCStringArray(strings.map(Optional.some) + [nil]) { body($0) }
}

/// Presents values as `const char * const *`, `nil` as a NULL pointer (SQL `NULL`).
///
/// Every statement's parameters pass through here, so they are copied into one NUL-separated
/// buffer (on the stack when small) instead of one allocation per value.
private func withOptionalCStringArray<Result>(
    _ strings: some Collection<String?>,
    _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result
) -> Result {
    var byteCount = 0
    for case let string? in strings { byteCount += string.utf8.count + 1 }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: max(byteCount, 1)) { buffer in
        withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: max(strings.count, 1)) { pointers in
            var next = buffer.baseAddress!
            for (index, string) in strings.enumerated() {
                guard var string else {
                    pointers[index] = nil
                    continue
                }
                let start = next
                string.withUTF8 { utf8 in
                    if let source = utf8.baseAddress { UnsafeMutableRawPointer(start).copyMemory(from: source, byteCount: utf8.count) }
                    start[utf8.count] = 0
                    next = start + utf8.count + 1
                }
                pointers[index] = UnsafePointer(start)
            }
            return body(UnsafePointer(pointers.baseAddress!))
        }
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = Substring(self)
        while let last = text.last, last.isNewline || last == " " { text = text.dropLast() }
        return String(text)
    }
}

// MARK: - Connection strings

extension DatabaseConfiguration {
    /// Checks a connection string the way libpq will read it, without connecting.
    ///
    /// - Parameter url: A `postgresql://` URL or `key=value` string.
    /// - Returns: `nil` when libpq accepts it, else what is wrong.
    public static func problem(withURL url: String) -> String? {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &errorMessage) else {
            defer { if let errorMessage { PQfreemem(errorMessage) } }
            let detail = errorMessage.map { String(cString: $0).trimmingTrailingNewlines } ?? "not a connection string"
            return "not a valid PostgreSQL connection URL: \(detail)"
        }
        PQconninfoFree(options)
        return nil
    }

    /// A connection string split for a client tool (`pg_dump`, `pg_restore`): every setting the
    /// string gives, as a `key=value` string without the password, and the password apart (for
    /// `PGPASSWORD`), so it never shows in the tool's arguments.
    ///
    /// - Parameter url: A `postgresql://` URL (also with several hosts) or `key=value` string.
    /// - Returns: `nil` when libpq cannot read it.
    static func clientSettings(fromURL url: String) -> (conninfo: String, password: String?)? {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var parts: [String] = []
        var password: String?
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                let key = String(cString: keyword)
                let text = String(cString: value)
                if key == "password" {
                    password = text
                } else {
                    // libpq's quoting: single quotes around, backslash before a quote or backslash.
                    var quoted = ""
                    for character in text {
                        if character == "\\" || character == "'" { quoted.append("\\") }
                        quoted.append(character)
                    }
                    parts.append("\(key)='\(quoted)'")
                }
            }
            option += 1
        }
        return (parts.joined(separator: " "), password)
    }
}
