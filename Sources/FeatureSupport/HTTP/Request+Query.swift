public import DataAccess
public import Hummingbird
public import PluginKit

extension Request {
    /// A query parameter's text; `nil` when absent or empty.
    public func queryText(_ name: String) -> String? {
        guard let value = uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// A whole-number query parameter.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the parameter when it is not a number.
    public func queryInt(_ name: String) throws(FeatureError) -> Int? {
        guard let text = queryText(name) else { return nil }
        guard let value = Int(text) else { throw FeatureError(.invalidInput, "must be a whole number, not '\(text.prefix(40))'", field: name) }
        return value
    }

    /// A date query parameter (`YYYY-MM-DD`, checked by ``Input/date(_:field:)``).
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the parameter when it is not a date
    ///   or lies outside ``LocalDate/supported``.
    public func queryDate(_ name: String) throws(FeatureError) -> LocalDate? {
        try queryText(name).map { text throws(FeatureError) in try Input.date(text, field: name) }
    }

    /// A calendar-year query parameter (checked by ``Input/year(_:field:)``).
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the parameter.
    public func queryYear(_ name: String) throws(FeatureError) -> Int? {
        try queryInt(name).map { year throws(FeatureError) in try Input.year(year, field: name) }
    }

    /// Whether the client asked for CSV: `?format=csv`, or `text/csv` in `Accept`.
    public var wantsCSV: Bool {
        queryText("format") == "csv" || (headers[.accept]?.contains("text/csv") ?? false)
    }

    /// A query parameter naming a case of a string-backed enumeration.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` listing the allowed values.
    public func queryValue<Value: RawRepresentable & CaseIterable>(_ name: String, as type: Value.Type) throws(FeatureError) -> Value?
    where Value.RawValue == String {
        guard let text = queryText(name) else { return nil }
        guard let value = Value(rawValue: text) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw FeatureError(.invalidInput, "must be one of \(allowed), not '\(text.prefix(40))'", field: name)
        }
        return value
    }

    /// The page asked for with `?limit=…&cursor=…`.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` for a bad limit or cursor.
    public func pageRequest() throws(FeatureError) -> PageRequest {
        try PageRequest(limit: try queryInt("limit"), cursor: queryText("cursor"))
    }
}
