import Foundation
import PropertyBased
import Testing

@testable import DataAccess

/// A `jsonb` column is read through DataAccess's own decoder where it reads the value as
/// Foundation's would, and through Foundation's elsewhere: what a column holds must come back the
/// same either way.
@Suite("JSON columns read without Foundation's decoder")
struct JSONValueDecoderTests {
    enum Colour: String, Codable, Hashable { case red, green }

    struct Inner: Codable, Hashable {
        var flag: Bool
        var count: Int?
    }

    /// What most columns hold: flags, names, whole numbers, lists, nested objects, nulls.
    struct Plain: Codable, Hashable {
        var name: String
        var flags: [Bool]
        var small: Int8
        var big: Int64
        var wage: Int?
        var ratio: Double
        var colour: Colour
        var inner: Inner?
        var map: [String: Int]
        var grid: [[UInt16]]
    }

    /// Values Foundation's decoder reads through its own rules.
    struct Strategic: Codable, Hashable {
        var at: Date
        var amount: Double
    }

    /// A type that catches a failed read and goes on: it must not go on differently here.
    enum Lenient: Decodable, Hashable {
        case number(Double)
        case other
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            self = (try? container.decode(Double.self)).map(Lenient.number) ?? .other
        }
    }

    /// The text a column holds for `value`, as JSONB writes it.
    static func column<Value: Codable & Sendable>(_ value: Value) -> String { JSONB(value).sqlText }

    static func fast<Value: Decodable>(_ text: String, as type: Value.Type) -> Value? {
        (try? JSONValue(parsing: Array(text.utf8))).flatMap { JSONValueDecoder.decode(type, from: $0) }
    }

    static let plain = zip(Gen.int(in: -128...127), Gen.int(), Gen.int(in: -9_007_199_254_740_992...9_007_199_254_740_992), Gen.bool)
        .map { small, big, whole, flag in
            Plain(
                name: "Café \(big) \"citat\" \\ ✓",
                flags: [flag, !flag],
                small: Int8(small),
                big: Int64(big),
                wage: flag ? nil : small * 1000,
                ratio: Double(whole),
                colour: flag ? .red : .green,
                inner: flag ? Inner(flag: flag, count: nil) : nil,
                map: ["a": small, "ö": big],
                grid: [[UInt16(abs(small))], []]
            )
        }

    @Test("flags, names, whole numbers, lists and nested objects come back as they were stored, without Foundation's decoder")
    func plainValues() async throws {
        await propertyCheck(count: 500, input: Self.plain) { value in
            let text = Self.column(value)
            #expect(Self.fast(text, as: Plain.self) == value, "\(text)")
            #expect(JSONB<Plain>(sqlText: text, type: .jsonb)?.value == value)
        }
    }

    @Test("a date, a number with a fraction and a type that catches a failure go to Foundation's decoder and come back right")
    func strategicValues() throws {
        let stored = Strategic(at: Date(timeIntervalSince1970: 1_459_425_600), amount: 12.75)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let text = String(decoding: try encoder.encode(stored), as: UTF8.self)
        #expect(Self.fast(text, as: Strategic.self) == nil)
        #expect(JSONB<Strategic>(sqlText: text, type: .jsonb)?.value == stored)

        #expect(Self.fast("1.5", as: Lenient.self) == nil)
        #expect(try JSONDecoder().decode(Lenient.self, from: Data("1.5".utf8)) == .number(1.5))
        #expect(Self.fast("\"x\"", as: Lenient.self) == .other)

        // Out of the type's range, or not a whole number: Foundation's decoder decides.
        #expect(Self.fast("300", as: Int8.self) == nil)
        #expect(Self.fast("9007199254740993", as: Double.self) == nil)
        #expect(Self.fast("16777216", as: Float.self) == 16_777_216)
        #expect(JSONB<Double>(sqlText: "0.1", type: .jsonb)?.value == 0.1)
    }

    @Test("a value of the wrong kind, a missing key or a null for a required field is no value, as with Foundation's decoder")
    func refusals() {
        for text in [#"{"flag": 1}"#, #"{"count": 2}"#, #"{"flag": null}"#, #"[true]"#, "true"] {
            #expect(Self.fast(text, as: Inner.self) == nil, "\(text)")
            #expect(JSONB<Inner>(sqlText: text, type: .jsonb) == nil, "\(text)")
        }
        #expect(Self.fast(#"{"flag": true, "count": null}"#, as: Inner.self) == Inner(flag: true, count: nil))
        #expect(Self.fast(#"[1, null, 3]"#, as: [Int?].self) == [1, nil, 3])
        #expect(Self.fast(#""blue""#, as: Colour.self) == nil)
    }

    /// Where a decoding error says the wrong value is, as `rows[1].flag`.
    static func place(of error: any Error) -> String? {
        guard let error = error as? DecodingError else { return nil }
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        @unknown default: return nil
        }
        return path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    struct Table: Codable { var rows: [Inner] }

    @Test("a wrong value deep in a column is reported at the place Foundation's decoder reports it")
    func errorPlaces() throws {
        for text in [
            #"{"rows": [{"flag": true}, {"flag": "yes"}]}"#, #"{"rows": [{"flag": true, "count": "2"}]}"#,
            #"{"rows": [{"flag": true}, {}]}"#, #"{"rows": [{"flag": null}]}"#, #"{"rows": {"flag": true}}"#,
        ] {
            let value = try JSONValue(parsing: Array(text.utf8))
            let ours = #expect(throws: DecodingError.self) {
                try JSONValueDecoder.decode(Table.self, from: value, at: [], trace: JSONValueDecoder.Trace())
            }
            let foundation = #expect(throws: DecodingError.self) { try JSONDecoder().decode(Table.self, from: Data(text.utf8)) }
            #expect(ours.flatMap(Self.place) == foundation.flatMap(Self.place), "\(text)")
            #expect(ours.flatMap(Self.place)?.hasPrefix(".rows") == true, "\(text)")
        }
    }
}
