public import OpenAPIRuntime

extension Configuration {
    /// How every feature's generated handlers write JSON: keys sorted, compact, slashes as they
    /// are, dates as ISO 8601 (`2016-03-31T12:00:00Z`), as the API always answered.
    ///
    /// ```swift
    /// try SupervisionAPI(store: store).registerHandlers(on: group, configuration: .kooperator)
    /// ```
    public static let kooperator = Configuration(jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])
}
