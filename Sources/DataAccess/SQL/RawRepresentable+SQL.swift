// String-backed enumerations are stored as their raw text: declare `extension Kind: SQLEncodable,
// SQLDecodable {}` and these supply the rest. A stored text that is no case fails to decode with
// an error naming the column.

extension SQLEncodable where Self: RawRepresentable, RawValue == String {
    /// Sent as `text`.
    public static var sqlType: SQLType { .text }
    /// The raw value.
    public var sqlText: String { rawValue }
}

extension SQLDecodable where Self: RawRepresentable, RawValue == String {
    /// Text columns.
    public static func accepts(_ type: SQLType) -> Bool { String.accepts(type) }
    /// The case whose raw value is the text.
    public init?(sqlText: String, type: SQLType) { self.init(rawValue: sqlText) }
}
