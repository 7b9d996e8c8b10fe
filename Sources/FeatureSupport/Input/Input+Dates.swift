public import DataAccess
public import PluginKit

extension Input {
    /// A day a person gave (`YYYY-MM-DD` within ``LocalDate/supported``): the one check every
    /// date from a query, a form, an import or a command goes through.
    ///
    /// - Parameters:
    ///   - text: The text as given.
    ///   - field: The field or parameter it came in, e.g. `asOf` or `/from`.
    /// - Throws: ``FeatureError`` `.invalidInput` naming `field`.
    public static func date(_ text: String, field: String) throws(FeatureError) -> LocalDate {
        do {
            return try LocalDate(input: text)
        } catch {
            throw FeatureError(error, field: field)
        }
    }

    /// A calendar year a person gave, within the years of ``LocalDate/supported``.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming `field`.
    public static func year(_ value: Int, field: String) throws(FeatureError) -> Int {
        try number(value, field: field, in: LocalDate.supported.lowerBound.year...LocalDate.supported.upperBound.year)
    }
}

extension FeatureError {
    /// A date that is not a day a person may give, as a refusal naming `field`.
    public init(_ error: LocalDate.InputError, field: String?) {
        let range = LocalDate.supported
        let wording =
            switch error.code {
            case .malformed: Wording("dateMalformed")
            case .outOfRange: Wording("dateOutOfRange", ["low": "\(range.lowerBound)", "high": "\(range.upperBound)", "value": error.text])
            }
        self.init(.invalidInput, error.message, field: field, cause: error, wording: wording)
    }
}
