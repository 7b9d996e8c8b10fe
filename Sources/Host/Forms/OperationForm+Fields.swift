import DataAccess
import Foundation
import PageKit
import PluginKit

extension OperationForm {
    /// The form's texts in the viewer's language, from the feature's catalogue (see the keys in
    /// ``OperationForm``).
    struct Texts {
        let page: PageContext
        let operationID: String

        /// Whether the catalogue has `key`.
        func has(_ key: String) -> Bool { page.templates.strings.entries[key] != nil }

        /// The first of `keys` the catalogue has, in the viewer's language.
        func first(_ keys: [String]) -> String? { keys.first(where: has).map(page.text) }

        /// The keys a property's label is looked up under, most particular first.
        static func labelKeys(_ operationID: String, _ path: String) -> [String] {
            ["form.\(operationID).\(path)", "field.\(path)"]
        }

        /// A property's label; its path itself where the catalogue lacks it (the catalogue test
        /// names every such property).
        func label(_ path: String) -> String { first(Self.labelKeys(operationID, path)) ?? path }

        /// A property's hint, if the catalogue has one.
        func hint(_ path: String) -> String? { first(Self.labelKeys(operationID, path).map { $0 + ".hint" }) }

        /// An enum value's name.
        func value(_ path: String, _ value: String) -> String {
            let property = path.split(separator: ".").last.map(String.init) ?? path
            return first(["form.\(operationID).\(path).\(value)", "value.\(property).\(value)"]) ?? value
        }

        /// `form.<operationId>.<key>`, else PageKit's `fallback`.
        func form(_ key: String, else fallback: String) -> String { first(["form.\(operationID).\(key)"]) ?? page.text(fallback) }
    }

    /// The form's fields, empty; `rows` says how many rows each list of objects shows (one by default).
    func fields(_ texts: Texts, rows: [String: Int] = [:]) -> [FormField] {
        guard let schema else { return [] }
        return fields(of: schema, prefix: "", texts: texts, rows: rows)
    }

    /// The fields of an object schema; `rows` says how many rows each list of objects shows.
    func fields(of schema: JSONValue, prefix: String, texts: Texts, rows: [String: Int]) -> [FormField] {
        let required = Self.required(by: schema)
        var fields: [FormField] = []
        for (name, property) in Self.properties(of: schema) {
            let path = prefix.isEmpty ? name : prefix + "." + name
            let labelPath = path.replacing(/\.[0-9]+\./, with: ".")
            guard !options.hide.contains(labelPath) else { continue }
            let (label, hint, isRequired) = (texts.label(labelPath), texts.hint(labelPath), required.contains(name))
            var field: FormField
            switch shape(of: property, at: labelPath) {
            case .text(let maxLength):
                field = FormField(path, label: label, required: isRequired, hint: hint)
                field.maxLength = maxLength
            case .longText(let maxLength):
                field = FormField(path, kind: .textarea, label: label, required: isRequired, hint: hint)
                field.maxLength = maxLength
            case .date:
                field = FormField(path, kind: .date, label: label, required: isRequired, hint: hint ?? texts.page.text("dateHint"))
            case .dateTime:
                field = FormField(path, label: label, required: isRequired, hint: hint ?? texts.page.text("dateTimeHint"))
            case .email:
                field = FormField(path, kind: .email, label: label, required: isRequired, hint: hint)
            case .secret(_, let maxLength):
                field = FormField(path, kind: .password, label: label, required: isRequired, hint: hint)
                (field.maxLength, field.autocomplete) = (maxLength, "new-password")
            case .choice(let cases):
                let choose = FormField.Option(value: "", label: texts.page.text("choose"))
                field = FormField(
                    path,
                    kind: .select,
                    label: label,
                    required: isRequired,
                    hint: hint,
                    options: [choose] + cases.map { FormField.Option(value: $0, label: texts.value(labelPath, $0)) }
                )
            case .whole(let minimum, let maximum):
                field = FormField(path, kind: .number, label: label, required: isRequired, hint: hint)
                (field.minimum, field.maximum, field.step) = (minimum.map(String.init), maximum.map(String.init), "1")
            case .decimal(let minimum, let maximum):
                field = FormField(path, kind: .number, label: label, required: isRequired, hint: hint)
                (field.minimum, field.maximum, field.step) = (minimum.map(Self.plain), maximum.map(Self.plain), "any")
            case .amount:
                field = FormField(path, label: label, required: isRequired, hint: hint ?? texts.page.text("amountHint"))
                field.inputMode = "decimal"
            case .flag:
                field = FormField(path, kind: .checkbox, label: label, hint: hint)
            case .reference:
                field = FormField(path, kind: .reference, label: label, required: isRequired, hint: hint)
            case .object:
                field = FormField(path, kind: .group, label: label, hint: hint)
                field.children = self.fields(of: property, prefix: path, texts: texts, rows: rows)
            case .list(let cases):
                field = FormField(
                    path,
                    kind: .choices,
                    label: label,
                    required: isRequired,
                    hint: hint,
                    options: cases.map { FormField.Option(value: $0, label: texts.value(labelPath, $0)) }
                )
            case .references:
                field = FormField(path, kind: .choices, label: label, required: isRequired, hint: hint)
            case .rows:
                field = FormField(path, kind: .group, label: label, hint: hint ?? texts.page.text("rowsHint"))
                field.addsRows = true
                let item = property.objectValue?["items"] ?? [:]
                for row in 0..<max(1, rows[path] ?? 1) {
                    var group = FormField("\(path).\(row)", kind: .group, label: texts.page.text("row", ["number": String(row + 1)]))
                    group.children = self.fields(of: item, prefix: "\(path).\(row)", texts: texts, rows: rows)
                    field.children.append(group)
                }
            case .unsupported:
                field = FormField(path, label: label, required: isRequired, hint: hint)
            }
            fields.append(field)
        }
        return fields
    }

    /// A number as an input's attribute writes it (`50`, `12.5`).
    static func plain(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    /// Every property path (dotted, rows without their number) the form shows, with its shape:
    /// what the catalogue must label.
    func labelledPaths() -> [(path: String, shape: Shape)] {
        guard let schema else { return [] }
        func walk(_ schema: JSONValue, _ prefix: String) -> [(String, Shape)] {
            Self.properties(of: schema).flatMap { name, property -> [(String, Shape)] in
                let path = prefix.isEmpty ? name : prefix + "." + name
                guard !options.hide.contains(path) else { return [] }
                let shape = self.shape(of: property, at: path)
                switch shape {
                case .object: return [(path, shape)] + walk(property, path)
                case .rows: return [(path, shape)] + walk(property.objectValue?["items"] ?? [:], path)
                default: return [(path, shape)]
                }
            }
        }
        return walk(schema, "")
    }
}
