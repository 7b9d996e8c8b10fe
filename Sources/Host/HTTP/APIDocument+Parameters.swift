import DataAccess
import FeatureSupport
import Foundation
import Hummingbird
import PluginKit

extension APIDocument.Parameter {
    /// What a parameter's schema asks of a value, read from the schema once, when the document is
    /// loaded, so a request is not checked by looking its schema's keys up again.
    enum Rule: Sendable, Hashable {
        /// One of these texts (`enum`).
        case oneOf([String])
        /// A whole number within these bounds (`type: integer`, `minimum`, `maximum`).
        case wholeNumber(ClosedRange<Int>)
        /// A finite decimal number (`type: number`).
        case number
        /// Text: a day (`format: date`) or not, of at most `maxLength` characters if given.
        case text(date: Bool, maxLength: Int?)

        /// The rule of `schema` (its `$ref` resolved).
        init(schema: JSONValue) {
            let schema = schema.objectValue ?? [:]
            if case .array(let cases)? = schema["enum"] {
                self = .oneOf(cases.compactMap { if case .string(let text) = $0 { text } else { nil } })
                return
            }
            func bound(_ key: String, _ otherwise: Int) -> Int {
                if case .int(let bound)? = schema[key] { bound } else { otherwise }
            }
            switch schema["type"] {
            case .string("integer")?: self = .wholeNumber(bound("minimum", .min)...bound("maximum", .max))
            case .string("number")?: self = .number
            default:
                let maxLength: Int? = if case .int(let most)? = schema["maxLength"] { most } else { nil }
                self = .text(date: schema["format"] == .string("date"), maxLength: maxLength)
            }
        }
    }

    /// Checks a value given for the parameter against its schema (an enumeration's cases, a whole
    /// number within `minimum`…`maximum`, a date within the supported days, `maxLength`), so a bad
    /// value is refused naming the parameter before the generated code reads it.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` (422) naming the parameter for a query
    ///   parameter; `HTTPError` 400 for a path parameter, as a path that does not parse always was.
    func check(_ value: String) throws {
        do throws(FeatureError) {
            try checkRule(value)
        } catch {
            guard isInPath else { throw error }
            throw HTTPError(.badRequest, message: "the path parameter '\(name)' \(error.message)")
        }
    }

    private func checkRule(_ value: String) throws(FeatureError) {
        // Only a refusal quotes the value: most requests never build the string.
        var quoted: String { "'\(value.prefix(40))'" }
        switch rule {
        case .oneOf(let allowed):
            guard allowed.contains(value) else {
                throw FeatureError(.invalidInput, "must be one of \(allowed.joined(separator: ", ")), not \(quoted)", field: name)
            }
        case .wholeNumber(let range):
            guard let number = Int(value) else { throw FeatureError(.invalidInput, "must be a whole number, not \(quoted)", field: name) }
            _ = try Input.number(number, field: name, in: range)
        case .number:
            guard Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")) != nil, Double(value)?.isFinite == true else {
                throw FeatureError(.invalidInput, "must be a number, not \(quoted)", field: name)
            }
        case .text(let date, let maxLength):
            if date { _ = try Input.date(value, field: name) }
            if let maxLength, value.count > maxLength {
                throw FeatureError(.invalidInput, "is \(value.count) characters long; at most \(maxLength) are allowed", field: name)
            }
        }
    }
}
