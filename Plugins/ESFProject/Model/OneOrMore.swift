/// A field that must hold exactly one value but that a client may send as a value or a list,
/// so a list of two is reported as "given twice" rather than as a malformed body.
struct OneOrMore<Value: Codable & Sendable & Hashable>: Sendable, Hashable, Codable {
    var values: [Value]

    init(_ value: Value) { values = [value] }
    init(values: [Value]) { self.values = values }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([Value].self) {
            values = list
        } else {
            values = [try container.decode(Value.self)]
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if values.count == 1 { try container.encode(values[0]) } else { try container.encode(values) }
    }
}
