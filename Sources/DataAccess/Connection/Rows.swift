/// The rows a statement returned, copied out of libpq so they can cross threads.
///
/// ```swift
/// for row in try await database.query("SELECT id, name FROM registry.organisations") {
///     let id = try row.decode("id", as: Int.self)
///     let name = try row.decode("name", as: String.self)
/// }
/// ```
public struct Rows: Sendable, RandomAccessCollection {
    /// A result column: its name and PostgreSQL type.
    public struct Column: Sendable, Hashable {
        /// The column's name (or alias).
        public let name: String
        /// The column's type.
        public let type: SQLType
    }

    /// The result's columns, in order.
    public let columns: [Column]
    /// For `INSERT`, `UPDATE`, `DELETE` and friends: the number of rows the statement touched.
    public let affectedRows: Int
    @usableFromInline let values: [String?]
    /// Each column's position by name, for a result of many columns; `nil` for a few, which
    /// ``position(of:)`` finds by comparing names: cheaper than building and hashing into a
    /// dictionary for a statement that reads one row of a dozen columns.
    @usableFromInline let indexByName: [String: Int]?

    /// Up to this many columns, a name is found by comparing it with each.
    static var scannedColumns: Int { 24 }

    init(columns: [Column], values: [String?], affectedRows: Int) {
        self.columns = columns
        self.values = values
        self.affectedRows = affectedRows
        guard columns.count > Self.scannedColumns else {
            self.indexByName = nil
            return
        }
        var index: [String: Int] = [:]
        for (position, column) in columns.enumerated() where index[column.name] == nil {
            index[column.name] = position
        }
        self.indexByName = index
    }

    /// The position of the first column named `name`.
    @inlinable
    func position(of name: String) -> Int? {
        guard let indexByName else { return columns.firstIndex { $0.name == name } }
        return indexByName[name]
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { columns.isEmpty ? 0 : values.count / columns.count }
    public subscript(position: Int) -> Row { Row(rows: self, index: position) }

    /// The only row, or a ``DatabaseError`` with code ``DatabaseError/Code/noRows``.
    public func single() throws -> Row {
        guard let row = first else { throw DatabaseError(code: .noRows, message: "the query returned no rows") }
        return row
    }
}

/// One result row; read its columns by name with ``decode(_:as:)``.
public struct Row: Sendable {
    @usableFromInline let rows: Rows
    @usableFromInline let index: Int

    /// Reads a column as a Swift type.
    ///
    /// - Parameters:
    ///   - column: The column's name (or alias) in the result.
    ///   - type: The Swift type; use an `Optional` for a column that may be `NULL`.
    /// - Returns: The value.
    /// - Throws: ``DatabaseError`` naming the column and both types when the column is
    ///   missing, has another type, is `NULL` for a non-optional type, or does not parse.
    @inlinable  // specialised in the caller: a generic call per column of every row costs
    public func decode<Value: SQLDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        guard let position = rows.position(of: column) else {
            let available = rows.columns.map(\.name).joined(separator: ", ")
            throw DatabaseError(
                code: .missingColumn,
                message: "no column \"\(column)\" in the result (columns: \(available))",
                column: column
            )
        }
        let columnType = rows.columns[position].type
        guard let text = rows.values[index * rows.columns.count + position] else {
            if let null = Value.sqlNull { return null }
            throw DatabaseError(
                code: .decoding,
                message: "column \"\(column)\" is NULL; cannot decode it as \(Value.self) (use an Optional)",
                column: column
            )
        }
        guard Value.accepts(columnType) else {
            throw DatabaseError(
                code: .decoding,
                message: "column \"\(column)\" has type \(columnType); cannot decode it as \(Value.self)",
                column: column
            )
        }
        guard let value = Value(sqlText: text, type: columnType) else {
            throw DatabaseError(
                code: .decoding,
                message: "column \"\(column)\" of type \(columnType) holds a value that is not a valid \(Value.self)",
                column: column
            )
        }
        return value
    }

    /// Whether the column is `NULL` (false when there is no such column).
    public func isNull(_ column: String) -> Bool {
        guard let position = rows.position(of: column) else { return false }
        return rows.values[index * rows.columns.count + position] == nil
    }
}
