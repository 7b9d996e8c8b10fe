extension Transaction {
    /// Loads `rows` into `table` with `COPY … FROM STDIN` (text format), far faster than
    /// `INSERT` for thousands of rows: an import's staging table, for example.
    ///
    /// The values are data, never SQL: each is escaped for the text format (backslash, tab,
    /// newline and carriage return), and `nil` is sent as `\N` (SQL `NULL`), so any text,
    /// including the two characters `\N`, arrives as it was. `table` (optionally
    /// schema-qualified, `schema.table`) and `columns` are quoted as identifiers; they are
    /// constants of the calling code.
    ///
    /// If the `COPY` fails (a value the column's type refuses, a row of the wrong width), it
    /// throws and the transaction rolls back; the connection stays usable for the pool.
    ///
    /// - Parameters:
    ///   - table: The table, e.g. `pg_temp.import_staging`.
    ///   - columns: The columns each row gives values for, in order.
    ///   - rows: One array of `columns.count` values per row, as PostgreSQL reads them as text.
    /// - Returns: The number of rows copied.
    /// - Throws: ``DatabaseError``.
    @discardableResult
    public func copy(into table: String, columns: [String], rows: some Sequence<[String?]>) throws -> Int {
        let name = table.split(separator: ".", omittingEmptySubsequences: false).map { SQL.quoteIdentifier(String($0)) }
            .joined(separator: ".")
        let list = columns.map(SQL.quoteIdentifier).joined(separator: ", ")
        return try connection.copy("COPY \(name) (\(list)) FROM STDIN", columnCount: columns.count, rows: rows)
    }
}
