extension JSONValue {
    /// Parses JSON text (RFC 8259, UTF-8) into a value, reading the bytes once.
    ///
    /// Foundation's `JSONDecoder` reaches a ``JSONValue`` only by trying each kind in turn, which
    /// throws and describes an error for every kind a value is not: several times the cost of the
    /// request it checks (the host holds every request body to its schema this way). The result is
    /// the decoder's: a number is ``int(_:)`` when its value is a whole number within `Int` (`1`,
    /// `1.0`, `1e3`; not `9223372036854775807e0`, which is 2⁶³ as a float) and ``double(_:)``
    /// otherwise; the first of two equal keys wins. Foundation also reads some text that is not
    /// JSON (`[1,]`, a repeated key's second value), which this refuses.
    ///
    /// - Parameter bytes: The text, with whitespace (and a byte order mark) around the value.
    /// - Throws: ``SyntaxError`` at the first byte that is not JSON.
    public init(parsing bytes: some Collection<UInt8>) throws(SyntaxError) {
        let parsed = bytes.withContiguousStorageIfAvailable { buffer in
            var parser = Parser(bytes: buffer)
            return Result { () throws(SyntaxError) in try parser.document() }
        }
        if let parsed { self = try parsed.get() } else { self = try JSONValue(parsing: Array(bytes)) }
    }

    /// JSON text that could not be parsed: what was wrong, and at which byte (from 0).
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What was expected or found, e.g. `a control character in a string`.
        public let message: String
        /// The offset of the byte where parsing stopped.
        public let offset: Int

        /// `<message> at byte <offset>`.
        public var description: String { "\(message) at byte \(offset)" }
    }

    /// A recursive-descent parser over contiguous bytes.
    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var depth = 0
        /// Deeper nesting is refused rather than risking the stack.
        static let maximumDepth = 512

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func document() throws(SyntaxError) -> JSONValue {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
            let value = try self.value()
            skipWhitespace()
            guard index == bytes.count else { throw failure("text after the value") }
            return value
        }

        func failure(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: index) }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func value() throws(SyntaxError) -> JSONValue {
            skipWhitespace()
            guard index < bytes.count else { throw failure("the text ends where a value should be") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw failure("not a JSON value")
            }
        }

        mutating func literal(_ word: StaticString, _ value: JSONValue) throws(SyntaxError) -> JSONValue {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count,
                UnsafeBufferPointer(start: word.utf8Start, count: count).elementsEqual(bytes[index..<index + count])
            else { throw failure("not a JSON value") }
            index += count
            return value
        }

        mutating func nested<T>(_ body: (inout Parser) throws(SyntaxError) -> T) throws(SyntaxError) -> T {
            depth += 1
            guard depth <= Self.maximumDepth else { throw failure("nested deeper than \(Self.maximumDepth) levels") }
            defer { depth -= 1 }
            return try body(&self)
        }

        mutating func object() throws(SyntaxError) -> JSONValue {
            // Room for a typical row's object at once, rather than growing through four sizes.
            var members = [String: JSONValue](minimumCapacity: 8)
            try sequence(closing: UInt8(ascii: "}"), after: "a member", inside: "an object") { (parser: inout Parser) throws(SyntaxError) in
                parser.skipWhitespace()
                guard parser.index < parser.bytes.count, parser.bytes[parser.index] == UInt8(ascii: "\"") else {
                    throw parser.failure("a member's name must be a string")
                }
                let key = try parser.string()
                parser.skipWhitespace()
                guard parser.index < parser.bytes.count, parser.bytes[parser.index] == UInt8(ascii: ":") else {
                    throw parser.failure("a ':' must follow a member's name")
                }
                parser.index += 1
                let value = try parser.value()
                // The first of a repeated name counts, as with Foundation's decoder; one look-up:
                // the `default:` subscript adds a new name's value and leaves a repeated one's.
                Self.keep(&members[key, default: value])
            }
            return .object(members)
        }

        /// Touches nothing: an in-out access through the `default:` subscript is what stores.
        static func keep(_: inout JSONValue) {}

        mutating func array() throws(SyntaxError) -> JSONValue {
            var elements: [JSONValue] = []
            try sequence(closing: UInt8(ascii: "]"), after: "an element", inside: "an array") { (parser: inout Parser) throws(SyntaxError) in
                elements.append(try parser.value())
            }
            return .array(elements)
        }

        /// An array's elements or an object's members, each read by `element`, from the opening
        /// bracket to the `closing` one, separated by commas.
        mutating func sequence(
            closing: UInt8,
            after what: String,
            inside: String,
            _ element: (inout Parser) throws(SyntaxError) -> Void
        ) throws(SyntaxError) {
            try nested { (parser: inout Parser) throws(SyntaxError) in
                parser.index += 1  // the opening bracket
                parser.skipWhitespace()
                if parser.index < parser.bytes.count, parser.bytes[parser.index] == closing {
                    parser.index += 1
                    return
                }
                while true {
                    try element(&parser)
                    parser.skipWhitespace()
                    guard parser.index < parser.bytes.count else { throw parser.failure("the text ends inside \(inside)") }
                    let next = parser.bytes[parser.index]
                    guard next == closing || next == UInt8(ascii: ",") else {
                        throw parser.failure("a ',' or '\(Character(Unicode.Scalar(closing)))' must follow \(what)")
                    }
                    parser.index += 1
                    if next == closing { return }
                }
            }
        }

        /// A string from its opening quote; the bytes between escapes are copied as they are, and
        /// must be UTF-8.
        mutating func string() throws(SyntaxError) -> String {
            index += 1  // "
            let start = index
            // The common case: no escape, so the text is the bytes themselves.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = try utf8(start..<index)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                guard byte >= 0x20 else { throw failure("a control character in a string") }
                index += 1
            }
            var text: [UInt8] = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    guard let string = String(validating: text, as: UTF8.self) else {
                        throw SyntaxError(message: "a string that is not UTF-8", offset: start)
                    }
                    return string
                case UInt8(ascii: "\\"):
                    index += 1
                    try escape(into: &text)
                case 0..<0x20:
                    throw failure("a control character in a string")
                default:
                    text.append(byte)
                    index += 1
                }
            }
            throw failure("the text ends inside a string")
        }

        func utf8(_ range: Range<Int>) throws(SyntaxError) -> String {
            guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) else {
                throw SyntaxError(message: "a string that is not UTF-8", offset: range.lowerBound)
            }
            return text
        }

        /// The escape after a backslash, appended as UTF-8.
        mutating func escape(into text: inout [UInt8]) throws(SyntaxError) {
            guard index < bytes.count else { throw failure("the text ends inside a string") }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
            case UInt8(ascii: "b"): text.append(0x08)
            case UInt8(ascii: "f"): text.append(0x0C)
            case UInt8(ascii: "n"): text.append(0x0A)
            case UInt8(ascii: "r"): text.append(0x0D)
            case UInt8(ascii: "t"): text.append(0x09)
            case UInt8(ascii: "u"):
                var code = UInt32(try hex4())
                if (0xD800..<0xDC00).contains(code) {
                    // A high surrogate needs its low one: `\ud83d\ude00`.
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw failure("a lone surrogate in a string")
                    }
                    index += 2
                    let low = UInt32(try hex4())
                    guard (0xDC00..<0xE000).contains(low) else { throw failure("a lone surrogate in a string") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw failure("a lone surrogate in a string") }
                text.append(contentsOf: UTF8.encode(scalar)!)
            default:
                index -= 1
                throw failure("an unknown escape in a string")
            }
        }

        mutating func hex4() throws(SyntaxError) -> UInt16 {
            guard index + 4 <= bytes.count else { throw failure("a \\u escape needs four hex digits") }
            var value: UInt16 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw failure("a \\u escape needs four hex digits")
                }
                value = value << 4 | UInt16(digit)
                index += 1
            }
            return value
        }

        /// A number: `-`, an integer part without leading zeros, then an optional fraction and
        /// exponent.
        mutating func number() throws(SyntaxError) -> JSONValue {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a number needs a digit") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
                if index < bytes.count, isDigit(bytes[index]) { throw failure("a number with a leading zero") }
            } else {
                skipDigits()
            }
            var integral = true
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                integral = false
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a number needs a digit after '.'") }
                skipDigits()
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                integral = false
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a number needs a digit in its exponent") }
                skipDigits()
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if integral, let whole = Int(text) { return .int(whole) }
            guard let number = Double(text), number.isFinite else {
                throw SyntaxError(message: "a number too large for a 64-bit float", offset: start)
            }
            // As `JSONDecoder` reads an `Int`: digits alone within `Int` (above), or a fraction or
            // exponent whose exact value is whole and fits (`1.0`, `1e3`, `9007199254740993.0`).
            // (A value too small for a float, `1e-400`, is 0 to the decoder, and so whole.)
            if !integral, number == 0 { return .int(0) }
            if !integral, abs(number) < 0x1p63, let whole = Self.wholeNumber(bytes[start..<index]) { return .int(whole) }
            return .double(number)
        }

        /// The exact value of a number with a fraction or an exponent, when it is whole and within
        /// `Int`: decimal digits, not a float, so no digit is rounded away.
        static func wholeNumber(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
            var digits: [UInt8] = []
            var (negative, fraction, exponent, exponentSign, inExponent) = (false, 0, 0, 1, false)
            var inFraction = false
            for byte in text {
                switch byte {
                case UInt8(ascii: "-") where !inExponent: negative = true
                case UInt8(ascii: "-"): exponentSign = -1
                case UInt8(ascii: "+"): break
                case UInt8(ascii: "."): inFraction = true
                case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
                default:
                    let digit = byte - UInt8(ascii: "0")
                    if inExponent {
                        exponent = min(exponent * 10 + Int(digit), 100_000)  // far beyond any Int
                    } else {
                        if inFraction { fraction += 1 }
                        if !digits.isEmpty || digit != 0 { digits.append(digit) } else if inFraction { continue }
                    }
                }
            }
            var scale = exponentSign * exponent - fraction
            // Digits below the units must be zeros, and are dropped.
            while scale < 0, let last = digits.last {
                guard last == 0 else { return nil }
                digits.removeLast()
                scale += 1
            }
            guard !digits.isEmpty else { return 0 }
            guard digits.count + max(scale, 0) <= 19 else { return nil }
            var magnitude: UInt64 = 0
            for digit in digits { magnitude = magnitude * 10 + UInt64(digit) }
            for _ in 0..<max(scale, 0) {
                let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                magnitude = product
            }
            if negative { return magnitude <= UInt64(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- magnitude) : nil }
            return magnitude <= UInt64(Int.max) ? Int(magnitude) : nil
        }

        func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

        mutating func skipDigits() {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
    }
}
