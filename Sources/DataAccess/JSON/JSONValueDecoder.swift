import Foundation

/// Decodes a `Decodable` value from a parsed ``JSONValue``, for what Foundation's `JSONDecoder`
/// would read the same way: objects, arrays, strings, booleans, whole numbers and `null`.
///
/// Foundation's decoder took 12 µs to read an organisation's seven ASF criteria from their
/// `jsonb` column, more than the rest of the row together (`Benchmarks/cpu-per-request.sh`,
/// profiled); a parse with ``JSONValue/init(parsing:)`` and this walk take a small part of that.
/// Where the two could differ it throws ``Unsupported`` instead of guessing: a date, data, URL
/// or decimal (which Foundation reads through its strategies), a number with a fraction (which
/// it rounds its own way), a super decoder. ``decode(_:from:)`` then answers `nil`, even when
/// the type caught the error and went on (a `try?` in its `init(from:)`), and ``JSONB`` asks
/// Foundation's decoder instead.
struct JSONValueDecoder: Decoder {
    /// A value this decoder leaves to Foundation's.
    struct Unsupported: Error {}

    /// Whether any part of one decoding met a value left to Foundation.
    final class Trace {
        var unsupported = false
        func refuse() -> Unsupported {
            unsupported = true
            return Unsupported()
        }
    }

    let value: JSONValue
    let codingPath: [any CodingKey]
    let trace: Trace
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ value: JSONValue, codingPath: [any CodingKey], trace: Trace) {
        self.value = value
        self.codingPath = codingPath
        self.trace = trace
    }

    /// `value` as `type` when this decoder reads it as Foundation's would; `nil` when it cannot
    /// tell, or the value does not fit the type.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) -> T? {
        let trace = Trace()
        guard let decoded = try? decode(type, from: value, at: [], trace: trace), !trace.unsupported else { return nil }
        return decoded
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw Self.mismatch([String: JSONValue].self, value, at: codingPath) }
        return KeyedDecodingContainer(Keyed<Key>(members: members, codingPath: codingPath, trace: trace))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw Self.mismatch([JSONValue].self, value, at: codingPath) }
        return Unkeyed(elements: elements, codingPath: codingPath, trace: trace)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(value: value, codingPath: codingPath, trace: trace) }

    /// `value` as `type`, or the error Foundation would give for a value of the wrong kind.
    ///
    /// The coding path is built only when it is used, by a nested value's decoder or in an error:
    /// a path built for every member (an array of boxed keys) cost about as much as the read.
    static func decode<T: Decodable>(
        _ type: T.Type,
        from value: JSONValue,
        at codingPath: @autoclosure () -> [any CodingKey],
        trace: Trace
    ) throws -> T {
        // The primitives are read here: their own `init(from:)` would ask this decoder again.
        if T.self == Bool.self {
            guard case .bool(let bool) = value, let bool = bool as? T else { throw mismatch(type, value, at: codingPath()) }
            return bool
        }
        if T.self == String.self {
            guard case .string(let string) = value, let string = string as? T else { throw mismatch(type, value, at: codingPath()) }
            return string
        }
        // The usual number first: the protocol checks below look the type's conformances up.
        if T.self == Int.self, case .int(let int) = value, let int = int as? T { return int }
        if T.self is any BinaryInteger.Type || T.self is any BinaryFloatingPoint.Type {
            switch value {
            case .int(let int):
                guard let number = number(int, as: type) else { throw trace.refuse() }
                return number
            case .double: throw trace.refuse()
            default: throw mismatch(type, value, at: codingPath())
            }
        }
        // Types Foundation's decoder reads through its own strategies, not their `init(from:)`.
        if T.self == Date.self || T.self == Data.self || T.self == URL.self || T.self == Decimal.self { throw trace.refuse() }
        return try T(from: JSONValueDecoder(value, codingPath: codingPath(), trace: trace))
    }

    /// A whole number as the number type `type`, when it holds it exactly.
    static func number<T>(_ int: Int, as type: T.Type) -> T? {
        if let integer = type as? any BinaryInteger.Type, let exact = integer.init(exactly: int) as? T { return exact }
        // Within 2^53 (2^24) every whole number is exact in a Double (Float), however it is read.
        if type == Double.self, abs(int) <= 1 << 53, let exact = Double(int) as? T { return exact }
        if type == Float.self, abs(int) <= 1 << 24, let exact = Float(int) as? T { return exact }
        return nil
    }

    static func mismatch(_ type: Any.Type, _ value: JSONValue, at codingPath: [any CodingKey]) -> DecodingError {
        DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "found \(value) instead"))
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let members: [String: JSONValue]
        let codingPath: [any CodingKey]
        let trace: Trace

        var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

        func member(_ key: Key) throws -> JSONValue {
            guard let value = members[key.stringValue] else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \(key.stringValue)"))
            }
            return value
        }

        func decodeNil(forKey key: Key) throws -> Bool { try member(key) == .null }

        /// A missing member or `null` is `nil`, as with Foundation; one look-up instead of the
        /// default's three (`contains`, `decodeNil`, `decode`).
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let value = members[key.stringValue], value != .null else { return nil }
            return try JSONValueDecoder.decode(type, from: value, at: codingPath + [key], trace: trace)
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let value = try member(key)
            if value == .null, !(T.self is any ExpressibleByNilLiteral.Type) {
                throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "null"))
            }
            return try JSONValueDecoder.decode(type, from: value, at: codingPath + [key], trace: trace)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try JSONValueDecoder(member(key), codingPath: codingPath + [key], trace: trace).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try JSONValueDecoder(member(key), codingPath: codingPath + [key], trace: trace).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder { throw trace.refuse() }
        func superDecoder(forKey key: Key) throws -> any Decoder { throw trace.refuse() }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let elements: [JSONValue]
        let codingPath: [any CodingKey]
        let trace: Trace
        var currentIndex = 0

        init(elements: [JSONValue], codingPath: [any CodingKey], trace: Trace) {
            self.elements = elements
            self.codingPath = codingPath
            self.trace = trace
        }

        var count: Int? { elements.count }
        var isAtEnd: Bool { currentIndex >= elements.count }

        /// The next element and its place; the place's coding path is built by ``path(at:)``
        /// only where it is used.
        mutating func next() throws -> (value: JSONValue, index: Int) {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(
                    JSONValue.self,
                    .init(codingPath: path(at: currentIndex), debugDescription: "the array has no more values")
                )
            }
            defer { currentIndex += 1 }
            return (elements[currentIndex], currentIndex)
        }

        func path(at index: Int) -> [any CodingKey] { codingPath + [Index(intValue: index)] }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, elements[currentIndex] == .null else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let (value, index) = try next()
            if value == .null, !(T.self is any ExpressibleByNilLiteral.Type) {
                throw DecodingError.valueNotFound(type, .init(codingPath: path(at: index), debugDescription: "null"))
            }
            return try JSONValueDecoder.decode(type, from: value, at: path(at: index), trace: trace)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            let (value, index) = try next()
            return try JSONValueDecoder(value, codingPath: path(at: index), trace: trace).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            let (value, index) = try next()
            return try JSONValueDecoder(value, codingPath: path(at: index), trace: trace).unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Decoder { throw trace.refuse() }
    }

    struct Single: SingleValueDecodingContainer {
        let value: JSONValue
        let codingPath: [any CodingKey]
        let trace: Trace

        func decodeNil() -> Bool { value == .null }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            if value == .null, !(T.self is any ExpressibleByNilLiteral.Type) {
                throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "null"))
            }
            return try JSONValueDecoder.decode(type, from: value, at: codingPath, trace: trace)
        }
    }

    /// An array element's place in a coding path.
    struct Index: CodingKey {
        let intValue: Int?
        var stringValue: String { "Index \(intValue ?? 0)" }
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }
}
