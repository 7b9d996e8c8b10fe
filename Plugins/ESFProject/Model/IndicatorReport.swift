import DataAccess

/// Every indicator of a project's set over a period, each split by gender (rule 15).
struct IndicatorReport: Sendable, Hashable, Codable {
    var projectId: Int
    var indicatorSet: String
    var from: LocalDate
    var to: LocalDate
    var indicators: [Line]

    /// One indicator's counts; `nil` counts for a special-category indicator the reader may not see.
    struct Line: Sendable, Hashable, Codable {
        var code: String
        var kind: IndicatorDefinition.Kind
        var name: String
        var total: Int?
        var women: Int?
        var men: Int?
        var other: Int?
        var restricted: Bool
    }
}
