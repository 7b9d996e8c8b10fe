/// One bound parameter: its text-format value (or `NULL`) and its PostgreSQL type.
public struct SQLBinding: Sendable, Hashable {
    /// The value in PostgreSQL's text format, or `nil` for `NULL`.
    public let value: String?
    /// The parameter's type, sent with the statement so PostgreSQL need not guess.
    public let type: SQLType

    /// Binds a value.
    @inlinable
    public init(_ value: some SQLEncodable) {
        self.value = value.sqlText
        self.type = Swift.type(of: value).sqlType
    }

    /// Binds `NULL` of a type.
    @inlinable
    public init(null type: SQLType) {
        self.value = nil
        self.type = type
    }
}
