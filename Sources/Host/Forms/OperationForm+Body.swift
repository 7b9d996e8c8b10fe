import DataAccess
import FeatureSupport
import Foundation
import PageKit
import PluginKit

extension OperationForm {
    /// The operation's JSON body from a posted form, and what is wrong in it, each problem in the
    /// viewer's language at its field (`/contact/email`). An empty field is an absent property; a
    /// checkbox is `true` or `false`; an amount may be written as in Swedish (`1 234,50`).
    func body(from values: FormValues, texts: Texts) -> (body: JSONValue?, problems: [FieldProblem]) {
        guard let schema else { return (nil, []) }
        var problems: [FieldProblem] = []
        let body = object(schema, prefix: "", values: values, texts: texts, problems: &problems)
        return (body ?? .object([:]), problems)
    }

    /// An object's members from the fields under `prefix`; `nil` when none of them was filled in.
    func object(_ schema: JSONValue, prefix: String, values: FormValues, texts: Texts, problems: inout [FieldProblem]) -> JSONValue? {
        let required = Self.required(by: schema)
        var members: [String: JSONValue] = [:]
        var missing: [String] = []
        for (name, property) in Self.properties(of: schema) {
            let path = prefix.isEmpty ? name : prefix + "." + name
            let labelPath = path.replacing(/\.[0-9]+\./, with: ".")
            guard !options.hide.contains(labelPath) else { continue }
            let pointer = "/" + path.split(separator: ".").joined(separator: "/")
            do {
                if let value = try value(property, path: path, values: values, texts: texts, problems: &problems) {
                    members[name] = value
                } else if required.contains(name) {
                    missing.append(pointer)
                }
            } catch {
                problems.append(FieldProblem(pointer: pointer, detail: texts.page.localized(error).message))
            }
        }
        // A required property of an object nobody filled in is no problem when the object is optional.
        guard !members.isEmpty || prefix.isEmpty else { return nil }
        for pointer in missing { problems.append(FieldProblem(pointer: pointer, detail: texts.page.text("error_empty"))) }
        return .object(members)
    }

    /// One property's value; `nil` when it was left empty.
    func value(
        _ property: JSONValue,
        path: String,
        values: FormValues,
        texts: Texts,
        problems: inout [FieldProblem]
    ) throws(FeatureError) -> JSONValue? {
        let pointer = "/" + path.split(separator: ".").joined(separator: "/")
        let members = property.objectValue ?? [:]
        let found = shape(of: property, at: path.replacing(/\.[0-9]+\./, with: "."))
        switch found {
        case .flag:
            return .bool(values.raw(path) != nil)
        case .object:
            return object(property, prefix: path, values: values, texts: texts, problems: &problems)
        case .list(let cases):
            let chosen = values.all(path).filter { !$0.isEmpty }
            guard chosen.allSatisfy(cases.contains) else { throw FeatureError(.invalidInput, "not a choice", field: pointer, wording: "choice") }
            return chosen.isEmpty ? nil : .array(chosen.map(JSONValue.string))
        case .references:
            let chosen = values.all(path).filter { !$0.isEmpty }
            let ids = chosen.compactMap { Int($0) }
            guard ids.count == chosen.count else { throw FeatureError(.invalidInput, "not a choice", field: pointer, wording: "choice") }
            return ids.isEmpty ? nil : .array(ids.map(JSONValue.int))
        case .rows:
            let item = members["items"] ?? [:]
            let numbers = Set(
                values.pairs.compactMap { pair -> Int? in
                    guard pair.name.hasPrefix(path + "."), !pair.value.isEmpty else { return nil }
                    return pair.name.dropFirst(path.count + 1).split(separator: ".").first.flatMap { Int($0) }
                }
            )
            let rows = numbers.sorted().compactMap { row in
                object(item, prefix: "\(path).\(row)", values: values, texts: texts, problems: &problems)
            }
            return rows.isEmpty ? nil : .array(rows)
        default:
            break
        }
        guard let text = values[path] else { return nil }
        switch found {
        case .text(let maxLength), .longText(let maxLength):
            return .string(try Input.text(text, field: pointer, maxLength: maxLength ?? 10_000))
        case .email:
            return .string(try Input.text(text, field: pointer, maxLength: members["maxLength"]?.intValue ?? 254))
        case .date:
            return .string(try Input.date(text, field: pointer).description)
        case .dateTime:
            return .string(try Input.text(text, field: pointer, maxLength: 40))
        case .choice(let cases):
            guard cases.contains(text) else { throw FeatureError(.invalidInput, "not a choice", field: pointer, wording: "choice") }
            return .string(text)
        case .whole(let minimum, let maximum):
            guard let number = Int(text) else {
                throw FeatureError(.invalidInput, "not a whole number", field: pointer, wording: "wholeNumber")
            }
            return .int(try Input.number(number, field: pointer, in: (minimum ?? Int.min)...(maximum ?? Int.max)))
        case .reference:
            // A record named by a text key (a role's id) is sent as the text.
            if members["type"]?.stringValue == "string" {
                return .string(try Input.text(text, field: pointer, maxLength: members["maxLength"]?.intValue ?? 200))
            }
            guard let number = Int(text) else { throw FeatureError(.invalidInput, "not a choice", field: pointer, wording: "choice") }
            return .int(number)
        case .secret(let minLength, let maxLength):
            let minimum = minLength ?? 1
            guard text.count >= minimum else {
                throw FeatureError(
                    .invalidInput,
                    "must be at least \(minimum) characters long",
                    field: pointer,
                    wording: Wording("tooShort", ["length": String(text.count), "min": String(minimum)])
                )
            }
            return .string(try Input.text(text, field: pointer, maxLength: maxLength ?? 10_000))
        case .decimal, .amount:
            guard let number = Self.decimal(text) else {
                throw FeatureError(.invalidInput, "not a number", field: pointer, wording: "number")
            }
            return .double(number)
        default:
            return .string(text)
        }
    }

    /// A number as a person writes it: `1234.5`, `1 234,50`, `1 234,50 kr`; `nil` when it is none.
    static func decimal(_ text: String) -> Double? {
        var cleaned = text.lowercased()
        if cleaned.hasSuffix("kr") { cleaned.removeLast(2) }
        cleaned = String(cleaned.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
        if cleaned.contains(",") {
            guard !cleaned.contains(".") else { return nil }
            cleaned = cleaned.replacingOccurrences(of: ",", with: ".")
        }
        guard !cleaned.isEmpty, cleaned.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }), let number = Double(cleaned),
            number.isFinite
        else { return nil }
        return number
    }
}
