/// A PostgreSQL type, by its object id (OID), with a readable name for error messages.
public struct SQLType: Sendable, Hashable, CustomStringConvertible {
    /// The type's OID as PostgreSQL reports it (`pg_type.oid`).
    public let oid: UInt32

    /// Wraps a type OID.
    public init(oid: UInt32) { self.oid = oid }

    public static let bool = SQLType(oid: 16)
    public static let bytea = SQLType(oid: 17)
    public static let name = SQLType(oid: 19)
    public static let int8 = SQLType(oid: 20)
    public static let int2 = SQLType(oid: 21)
    public static let int4 = SQLType(oid: 23)
    public static let text = SQLType(oid: 25)
    public static let objectID = SQLType(oid: 26)
    public static let json = SQLType(oid: 114)
    public static let float4 = SQLType(oid: 700)
    public static let float8 = SQLType(oid: 701)
    public static let unknown = SQLType(oid: 705)
    public static let bpchar = SQLType(oid: 1042)
    public static let varchar = SQLType(oid: 1043)
    public static let date = SQLType(oid: 1082)
    public static let timestamp = SQLType(oid: 1114)
    public static let timestamptz = SQLType(oid: 1184)
    public static let interval = SQLType(oid: 1186)
    public static let numeric = SQLType(oid: 1700)
    public static let uuid = SQLType(oid: 2950)
    public static let jsonb = SQLType(oid: 3802)
    public static let int8Array = SQLType(oid: 1016)
    public static let textArray = SQLType(oid: 1009)
    public static let byteaArray = SQLType(oid: 1001)

    static let names: [UInt32: String] = [
        16: "bool", 17: "bytea", 19: "name", 20: "int8", 21: "int2", 23: "int4", 25: "text", 26: "oid",
        114: "json", 700: "float4", 701: "float8", 705: "unknown", 1042: "bpchar", 1043: "varchar",
        1082: "date", 1114: "timestamp", 1184: "timestamptz", 1186: "interval", 1700: "numeric",
        2950: "uuid", 3802: "jsonb", 1016: "int8[]", 1009: "text[]", 1001: "bytea[]",
    ]

    /// The type's name, or `oid <n>` for types without a fixed OID (enums, domains).
    public var description: String { Self.names[oid] ?? "oid \(oid)" }

    /// The types whose text is a string: `text`, `varchar`, `bpchar`, `name`, `unknown`.
    static let textual: Set<SQLType> = [.text, .varchar, .bpchar, .name, .unknown]
}
