import DataAccess
import FeatureSupport
import PluginKit

extension APIDocument {
    /// What is wrong with a JSON request body against its schema, and how wrong.
    struct BodyProblems: Sendable {
        /// Values of the wrong shape (a string for a number, a missing required field, a value
        /// outside an enumeration): the body does not read, 400, as a body that does not decode.
        var malformed: [FieldProblem] = []
        /// Values of the right shape that break a limit of the schema (`maxLength`, `minimum`,
        /// `multipleOf`, a day outside the supported days): 422.
        var broken: [FieldProblem] = []
        var isEmpty: Bool { malformed.isEmpty && broken.isEmpty }
    }

    /// Checks `value` against `schema` (resolved in this document): the subset of JSON Schema the
    /// documents use (`type`, `required`, `properties`, `items`, `enum`, `minimum`, `maximum`,
    /// `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `minLength`, `maxLength`, `minItems`, `maxItems`, `format: date`, `anyOf`),
    /// so every limit a document states is one the host enforces. An optional property may be
    /// `null` (it reads as absent), and properties the schema does not name are ignored.
    func check(_ value: JSONValue, against schema: JSONValue, at pointer: String = "", into problems: inout BodyProblems) {
        let schema = Self.resolved(schema, in: root).objectValue ?? [:]
        if case .array(let branches)? = schema["anyOf"] ?? schema["oneOf"] {
            for branch in branches {
                var attempt = BodyProblems()
                check(value, against: branch, at: pointer, into: &attempt)
                if attempt.isEmpty { return }
            }
            problems.malformed.append(FieldProblem(pointer: Self.at(pointer), detail: "matches none of the allowed shapes", wording: "choice"))
            return
        }
        // Each with the catalogue's wording too, so a page form shows it in the reader's language.
        func malformed(_ detail: String, _ wording: Wording) {
            problems.malformed.append(FieldProblem(pointer: Self.at(pointer), detail: detail, wording: wording))
        }
        func broken(_ detail: String, _ wording: Wording) {
            problems.broken.append(FieldProblem(pointer: Self.at(pointer), detail: detail, wording: wording))
        }
        if case .array(let cases)? = schema["enum"], !cases.contains(value) {
            let names = cases.compactMap { if case .string(let name) = $0 { name } else { nil } }
            let given = if case .string(let text) = value { " not '\(text.prefix(40))'" } else { "" }
            return malformed("must be one of \(names.joined(separator: ", "))\(given.isEmpty ? "" : ",")\(given)", "choice")
        }
        switch (schema["type"], value) {
        case (.string("object")?, .object(let members)):
            let properties = schema["properties"]?.objectValue ?? [:]
            if case .array(let required)? = schema["required"] {
                for case .string(let name) in required where members[name] == nil || members[name] == .null {
                    problems.malformed.append(
                        FieldProblem(pointer: Self.at(pointer + "/" + name), detail: "the required field \(name) is missing", wording: "empty")
                    )
                }
            }
            for (name, member) in members where member != .null {
                if let property = properties[name] { check(member, against: property, at: pointer + "/" + name, into: &problems) }
            }
        case (.string("array")?, .array(let items)):
            if case .int(let least)? = schema["minItems"], items.count < least {
                broken("must have at least \(least) items", Wording("tooFewItems", ["min": "\(least)"]))
            }
            if case .int(let most)? = schema["maxItems"], items.count > most {
                broken("must have at most \(most) items", Wording("tooManyItems", ["max": "\(most)"]))
            }
            if let item = schema["items"] {
                for (index, element) in items.enumerated() { check(element, against: item, at: pointer + "/\(index)", into: &problems) }
            }
        case (.string("string")?, .string(let text)):
            let length = text.count
            if case .int(let most)? = schema["maxLength"], length > most {
                broken("is \(length) characters long; at most \(most) are allowed", Wording("tooLong", ["length": "\(length)", "max": "\(most)"]))
            }
            if case .int(let least)? = schema["minLength"], length < least {
                broken(
                    least == 1 ? "must not be empty" : "must be at least \(least) characters long",
                    least == 1 ? "empty" : Wording("tooShort", ["length": "\(length)", "min": "\(least)"])
                )
            }
            if schema["format"] == .string("date") {
                do {
                    _ = try LocalDate(input: text)
                } catch {
                    let wording = FeatureError(error, field: nil).wording ?? "dateMalformed"
                    if error.code == .outOfRange { broken(error.message, wording) } else { malformed(error.message, wording) }
                }
            }
        case (.string("integer")?, .int(let number)):
            checkRange(Double(number), schema, broken)
        case (.string("number")?, .int(let number)):
            checkRange(Double(number), schema, broken)
        case (.string("number")?, .double(let number)):
            checkRange(number, schema, broken)
            if case let step? = Self.number(schema["multipleOf"]), step > 0, abs((number / step).rounded() * step - number) > step * 1e-9 {
                broken("must be a multiple of \(step)", Wording("multipleOf", ["step": Self.text(step)]))
            }
        case (.string("boolean")?, .bool):
            break
        case (.string(let type)?, _):
            let wording: Wording = type == "integer" ? "wholeNumber" : type == "number" ? "number" : "choice"
            malformed(
                type == "integer"
                    ? "must be a whole number"
                    : type == "boolean" ? "must be true or false" : "must be \(type == "object" || type == "array" ? "an" : "a") \(type)",
                wording
            )
        default:
            break
        }
    }

    private func checkRange(_ number: Double, _ schema: [String: JSONValue], _ broken: (String, Wording) -> Void) {
        let given = Self.text(number)
        if let least = Self.number(schema["minimum"]), number < least {
            broken("must be at least \(Self.text(least)), not \(given)", Wording("atLeast", ["min": Self.text(least), "value": given]))
        }
        if let most = Self.number(schema["maximum"]), number > most {
            broken("must be at most \(Self.text(most)), not \(given)", Wording("atMost", ["max": Self.text(most), "value": given]))
        }
        if let bound = Self.number(schema["exclusiveMinimum"]), number <= bound {
            broken("must be above \(Self.text(bound)), not \(given)", Wording("above", ["bound": Self.text(bound), "value": given]))
        }
        if let bound = Self.number(schema["exclusiveMaximum"]), number >= bound {
            broken("must be below \(Self.text(bound)), not \(given)", Wording("below", ["bound": Self.text(bound), "value": given]))
        }
    }

    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number)?: Double(number)
        case .double(let number)?: number
        default: nil
        }
    }

    private static func text(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    /// The pointer of the body's root is `/`.
    private static func at(_ pointer: String) -> String { pointer.isEmpty ? "/" : pointer }
}
