import DataAccess
import FeatureSupport
import Foundation
import Hummingbird
import PluginKit

extension APIDocument.Parameter {
    /// Checks a value given for the parameter against its schema (an enumeration's cases, a whole
    /// number within `minimum`…`maximum`, a date within the supported days, `maxLength`), so a bad
    /// value is refused naming the parameter before the generated code reads it.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` (422) naming the parameter for a query
    ///   parameter; `HTTPError` 400 for a path parameter, as a path that does not parse always was.
    func check(_ value: String) throws {
        do throws(FeatureError) {
            try checkSchema(value)
        } catch {
            guard location == "path" else { throw error }
            throw HTTPError(.badRequest, message: "the path parameter '\(name)' \(error.message)")
        }
    }

    private func checkSchema(_ value: String) throws(FeatureError) {
        let schema = self.schema.objectValue ?? [:]
        // Only a refusal quotes the value: most requests never build the string.
        var quoted: String { "'\(value.prefix(40))'" }
        if case .array(let cases)? = schema["enum"] {
            let allowed = cases.compactMap { if case .string(let text) = $0 { text } else { nil } }
            guard allowed.contains(value) else {
                throw FeatureError(.invalidInput, "must be one of \(allowed.joined(separator: ", ")), not \(quoted)", field: name)
            }
            return
        }
        switch schema["type"] {
        case .string("integer")?:
            guard let number = Int(value) else { throw FeatureError(.invalidInput, "must be a whole number, not \(quoted)", field: name) }
            _ = try Input.number(number, field: name, in: Self.bound(schema["minimum"], .min)...Self.bound(schema["maximum"], .max))
        case .string("number")?:
            guard Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")) != nil, Double(value)?.isFinite == true else {
                throw FeatureError(.invalidInput, "must be a number, not \(quoted)", field: name)
            }
        default:
            if schema["format"] == .string("date") { _ = try Input.date(value, field: name) }
            if case .int(let most)? = schema["maxLength"], value.count > most {
                throw FeatureError(.invalidInput, "is \(value.count) characters long; at most \(most) are allowed", field: name)
            }
        }
    }

    private static func bound(_ value: JSONValue?, _ otherwise: Int) -> Int {
        if case .int(let bound)? = value { bound } else { otherwise }
    }
}
