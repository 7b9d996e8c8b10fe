import DataAccess
import Foundation
import PropertyBased
import Testing

/// The host holds every request body to its schema through ``JSONValue/init(parsing:)``, and
/// through Foundation's decoder where the parser refuses one (the handlers read bodies with the
/// decoder): what the parser reads must be what the decoder reads.
@Suite("JSON parsing")
struct JSONValueParsingTests {
    /// Foundation's reading of `text`, as the host read request bodies before.
    static func decoded(_ text: String) -> JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    @Test(
        "documents read as Foundation's decoder reads them: whole numbers in any form are int, the first of two equal keys wins",
        arguments: [
            #"{"identityNumber": "19850101-1234", "kind": null}"#,
            #"[1, -0, 0, 1.0, 1.5, 1e3, 1E3, 1e-3, -1.0e2, 100e-2, 2.50, 0.1]"#,
            #"[9223372036854775807, 9223372036854775808, -9223372036854775808, -9223372036854775809, 12345678901234567890123]"#,
            #"[1e15, 1e18, 1e19, 9007199254740993.0, -92233720368547758081E-2, 92233720368547758E0, 100000000000000000000e-5, 0.5e1]"#,
            #"[-9223372036854775809.0, -9223372036854775808.0, 9223372036854775807e0, 0.000e5, -0.0, 1.10e1, 1.11e1, 1234567890123456789e0, 1e-400]"#,
            #"["a\u00e9\ud83d\ude00", "a\/b", "tab\there", "\"quoted\" \\ \b\f\n\r", "åäö 😀", ""]"#,
            #"{"a": 1, "a": 2, "b": {"c": [true, false, null, {}, []]}}"#,
            "  \n\t[ 1 , { \"x\" : \"y\" } ]\r\n ",
            "42", "\"text\"", "true", "null",
        ]
    )
    func sameAsFoundation(text: String) throws {
        let parsed = try JSONValue(parsing: Array(text.utf8))
        #expect(parsed == Self.decoded(text))
    }

    @Test("numbers and keys come out as the checks expect")
    func values() throws {
        #expect(try JSONValue(parsing: Array(#"[1.0, 1e3, 1.5, 9223372036854775808]"#.utf8)) == [1, 1000, 1.5, .double(9_223_372_036_854_775_808)])
        #expect(try JSONValue(parsing: Array(#"{"a": 1, "a": 2}"#.utf8)) == ["a": 1])
        #expect(try JSONValue(parsing: Array("\u{FEFF}[\"\\ud83d\\ude00\"]".utf8)) == ["😀"])
    }

    @Test(
        "text that is not JSON is refused at the byte where it goes wrong",
        arguments: [
            ("[1] x", "text after the value", 4),
            ("[\"a\tb\"]", "a control character in a string", 3),
            ("[\"\\ud800\"]", "a lone surrogate in a string", 8),
            ("[01]", "a number with a leading zero", 2),
            ("[1.]", "a number needs a digit after '.'", 3),
            ("{\"a\" 1}", "a ':' must follow a member's name", 5),
            ("{1: 2}", "a member's name must be a string", 1),
            ("[1, 2", "the text ends inside an array", 5),
            ("[\"\\x\"]", "an unknown escape in a string", 3),
            ("[1e400]", "a number too large for a 64-bit float", 1),
            ("[nul]", "not a JSON value", 1),
            ("", "the text ends where a value should be", 0),
        ]
    )
    func refused(text: String, message: String, offset: Int) {
        let error = #expect(throws: JSONValue.SyntaxError.self) { try JSONValue(parsing: Array(text.utf8)) }
        #expect(error?.message == message)
        #expect(error?.offset == offset)
    }

    @Test("bytes that are not UTF-8 in a string are refused, as Foundation refuses them")
    func notUTF8() {
        let bytes: [UInt8] = Array("[\"a".utf8) + [0xC3, 0x28] + Array("\"]".utf8)
        let error = #expect(throws: JSONValue.SyntaxError.self) { try JSONValue(parsing: bytes) }
        #expect(error?.description == "a string that is not UTF-8 at byte 2")
        #expect((try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))) == nil)
    }

    @Test("nesting deeper than 512 levels is refused, not a crash")
    func deep() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue(parsing: Array(text.utf8)) }
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect((try? JSONValue(parsing: Array(deepest.utf8))) != nil)
    }

    /// Pieces of JSON and of near-JSON, to be put together in any order.
    static let pieces = [
        "{", "}", "[", "]", ",", ":", " ", "\"a\"", "\"b\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"\\/\"", "\"\t\"",
        "\"", "\\", "1", "-0", "1.5", "1e3", "2.0", "01", "-", ".", "e", "true", "null", "nul", "9223372036854775808",
    ]

    /// Random JSON text from `seed`: nested values of every kind, most of them valid, some with one
    /// of ``pieces`` put in at a random place.
    static func document(seed: Int) -> String {
        var state = UInt64(bitPattern: Int64(seed))
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        func value(_ depth: Int) -> String {
            switch next(depth > 3 ? 6 : 8) {
            case 0: return ["true", "false", "null"][next(3)]
            case 1: return ["0", "-0", "7", "-12", "1.0", "2.5", "1e3", "-1E-2", "100e-2", "9223372036854775808"][next(10)]
            case 2: return ["\"\"", "\"a b\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\n\\t\\\"\"", "\"åäö\""][next(6)]
            case 3, 4, 5: return String(next(1000) - 500)
            case 6: return "[" + (0..<next(4)).map { _ in value(depth + 1) }.joined(separator: ",") + "]"
            default:
                let keys = ["a", "b", "a", "name", "é"]
                return "{" + (0..<next(4)).map { _ in "\"\(keys[next(keys.count)])\": " + value(depth + 1) }.joined(separator: ", ") + "}"
            }
        }
        var text = value(0)
        if next(3) == 0 {
            let at = text.index(text.startIndex, offsetBy: next(text.count + 1))
            text.insert(contentsOf: pieces[next(pieces.count)], at: at)
        }
        return text
    }

    @Test("random documents, some broken: what the parser reads, Foundation's decoder reads to the same value")
    func documentsAgreeWithFoundation() async {
        await propertyCheck(count: 3000, input: Gen.int()) { seed in
            let text = Self.document(seed: seed)
            // Foundation also reads some broken text (a repeated key's second value is never
            // looked at); the host falls back to it for such a body (APIOperationMiddleware).
            if let parsed = try? JSONValue(parsing: Array(text.utf8)) { #expect(Self.same(parsed, Self.decoded(text)), "\(text)") }
        }
    }

    /// Whether `parsed` is `decoded`, but for a number Foundation takes a whole number from
    /// (truncating, `9223372036854775.808`) and the parser keeps as a double: there the parser is
    /// the stricter, so a schema's `integer` refuses rather than passes what the handler reads.
    static func same(_ parsed: JSONValue, _ decoded: JSONValue?) -> Bool {
        switch (parsed, decoded) {
        case (.double, .int?): true
        case (.array(let left), .array(let right)?): left.count == right.count && zip(left, right).allSatisfy { same($0, $1) }
        case (.object(let left), .object(let right)?): left.count == right.count && left.allSatisfy { key, value in same(value, right[key]) }
        default: parsed == decoded
        }
    }

    @Test(
        "Foundation's decoder reads some text that is not JSON, and the parser does not",
        arguments: [(#"{"a": 1, "a": --0}"#, ["a": 1] as JSONValue), ("[null,]", [nil] as JSONValue)]
    )
    func lazyFoundation(text: String, value: JSONValue) {
        #expect(Self.decoded(text) == value)
        #expect((try? JSONValue(parsing: Array(text.utf8))) == nil)
    }

    @Test("any text of JSON's pieces: what the parser reads, Foundation's decoder reads to the same value")
    func agreesWithFoundation() async {
        await propertyCheck(count: 3000, input: Gen.element(of: Self.pieces).array(of: 0...14)) { pieces in
            let text = pieces.compactMap { $0 }.joined()
            if let parsed = try? JSONValue(parsing: Array(text.utf8)) { #expect(Self.same(parsed, Self.decoded(text)), "\(text)") }
        }
    }
}
