public import Foundation

// MARK: - Integers

extension Int: SQLEncodable, SQLDecodable {
    public static var sqlType: SQLType { .int8 }
    public var sqlText: String { String(self) }
    public static func accepts(_ type: SQLType) -> Bool { type == .int2 || type == .int4 || type == .int8 || type == .objectID }
    public init?(sqlText: String, type: SQLType) { self.init(sqlText) }
}

extension Int64: SQLEncodable, SQLDecodable {
    public static var sqlType: SQLType { .int8 }
    public var sqlText: String { String(self) }
    public static func accepts(_ type: SQLType) -> Bool { type == .int2 || type == .int4 || type == .int8 || type == .objectID }
    public init?(sqlText: String, type: SQLType) { self.init(sqlText) }
}

extension Int32: SQLEncodable, SQLDecodable {
    public static var sqlType: SQLType { .int4 }
    public var sqlText: String { String(self) }
    public static func accepts(_ type: SQLType) -> Bool { type == .int2 || type == .int4 }
    public init?(sqlText: String, type: SQLType) { self.init(sqlText) }
}

extension Int16: SQLEncodable, SQLDecodable {
    public static var sqlType: SQLType { .int2 }
    public var sqlText: String { String(self) }
    public static func accepts(_ type: SQLType) -> Bool { type == .int2 }
    public init?(sqlText: String, type: SQLType) { self.init(sqlText) }
}

// MARK: - Text, booleans, floating point

extension String: SQLEncodable, SQLDecodable {
    public static var sqlType: SQLType { .text }
    public var sqlText: String { self }
    /// Text columns, and enum or domain types (no fixed OID), whose text is the value.
    public static func accepts(_ type: SQLType) -> Bool { SQLType.textual.contains(type) || type.oid >= 16384 }
    public init?(sqlText: String, type: SQLType) { self = sqlText }
}

extension Bool: SQLEncodable, SQLDecodable {
    public static var sqlType: SQLType { .bool }
    public var sqlText: String { self ? "t" : "f" }
    public static func accepts(_ type: SQLType) -> Bool { type == .bool }
    public init?(sqlText: String, type: SQLType) {
        switch sqlText {
        case "t": self = true
        case "f": self = false
        default: return nil
        }
    }
}

extension Double: SQLEncodable, SQLDecodable {
    public static var sqlType: SQLType { .float8 }
    public var sqlText: String { String(self) }
    public static func accepts(_ type: SQLType) -> Bool {
        type == .float8 || type == .float4 || type == .int2 || type == .int4 || type == .int8 || type == .numeric
    }
    public init?(sqlText: String, type: SQLType) { self.init(sqlText) }
}

extension Decimal: SQLEncodable, SQLDecodable {
    public static var sqlType: SQLType { .numeric }
    public var sqlText: String { NSDecimalNumber(decimal: self).description(withLocale: nil) }
    public static func accepts(_ type: SQLType) -> Bool {
        type == .numeric || type == .int2 || type == .int4 || type == .int8
    }
    public init?(sqlText: String, type: SQLType) {
        guard sqlText != "NaN", let value = Decimal(string: sqlText, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        self = value
    }
}

// MARK: - Identifiers and bytes

extension UUID: SQLEncodable, SQLDecodable {
    public static var sqlType: SQLType { .uuid }
    public var sqlText: String { uuidString.lowercased() }
    public static func accepts(_ type: SQLType) -> Bool { type == .uuid }
    public init?(sqlText: String, type: SQLType) { self.init(uuidString: sqlText) }
}

extension Data: SQLEncodable, SQLDecodable {
    public static var sqlType: SQLType { .bytea }
    public var sqlText: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        text.reserveCapacity(2 + count * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
    public static func accepts(_ type: SQLType) -> Bool { type == .bytea }
    /// Reads PostgreSQL's hex output (`\x0a1b`), the default since PostgreSQL 9.0.
    public init?(sqlText: String, type: SQLType) {
        let utf8 = Array(sqlText.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            return nil
        }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(bytes)
    }
}

// MARK: - Arrays

/// A type whose values can travel in a PostgreSQL array parameter (`= ANY(\(ids))`).
public protocol SQLArrayElement: SQLEncodable {
    /// The array type, e.g. `int8[]` for `Int`.
    static var sqlArrayType: SQLType { get }
}

extension Int: SQLArrayElement { public static var sqlArrayType: SQLType { .int8Array } }
extension String: SQLArrayElement { public static var sqlArrayType: SQLType { .textArray } }
extension Data: SQLArrayElement { public static var sqlArrayType: SQLType { .byteaArray } }

extension Array: SQLEncodable where Element: SQLArrayElement {
    public static var sqlType: SQLType { Element.sqlArrayType }
    /// `{"1","2"}`: every element quoted, `\\` and `"` escaped. Written byte by byte: a bulk
    /// import binds arrays of 100 000 elements, where Foundation's `replacingOccurrences` cost
    /// seconds.
    public var sqlText: String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(count * 16 + 2)
        for (index, element) in enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in element.sqlText.utf8 {
                if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\"") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
