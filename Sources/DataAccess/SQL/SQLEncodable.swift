/// A Swift value that can be bound as a statement parameter.
///
/// Conformers give their PostgreSQL type and their text-format representation; the
/// parameter is sent beside the SQL text, never inside it.
public protocol SQLEncodable: Sendable {
    /// The PostgreSQL type the value is sent as.
    static var sqlType: SQLType { get }
    /// The value in PostgreSQL's text input format.
    var sqlText: String { get }
}

/// A Swift value that can be read from a result column.
///
/// Conformers name the column types they accept and parse PostgreSQL's text output.
/// A wrong column type or a `NULL` for a non-optional value is a ``DatabaseError`` naming
/// the column, the Swift type and the column's type.
public protocol SQLDecodable: Sendable {
    /// Whether a column of this PostgreSQL type can be read as `Self`.
    static func accepts(_ type: SQLType) -> Bool
    /// Parses the column's text; returns `nil` when the text is not a valid value.
    init?(sqlText: String, type: SQLType)
    /// The value for SQL `NULL`; `nil` means `NULL` is not allowed (only `Optional` has one).
    static var sqlNull: Self? { get }
}

extension SQLDecodable {
    /// Non-optional types have no value for `NULL`.
    public static var sqlNull: Self? { nil }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    public static func accepts(_ type: SQLType) -> Bool { Wrapped.accepts(type) }
    public init?(sqlText: String, type: SQLType) {
        guard let value = Wrapped(sqlText: sqlText, type: type) else { return nil }
        self = .some(value)
    }
    public static var sqlNull: Wrapped?? { .some(.none) }
}
