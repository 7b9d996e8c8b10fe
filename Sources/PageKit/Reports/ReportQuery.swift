public import DataAccess
public import PluginKit

/// What a report asks every contributor: which report, whose figures, which years, on which
/// day, and for whom (the caller's reach bounds every figure).
public struct ReportQuery: Sendable, Hashable {
    /// The report asked for.
    public var report: ReportKind
    /// The organisations asked about; `nil` for every one within reach.
    public var organisationIDs: [Int]?
    /// The provider organisation the report is about (the umbrella association's year), if any.
    public var providerID: Int?
    /// The calendar years, first and last included.
    public var years: ClosedRange<Int>
    /// The day the report is read on: what was due, open or met is judged on it, and nothing
    /// after it is counted.
    public var asOf: LocalDate
    /// Who asks: the contributor applies the principal's reach.
    public var principal: Principal
    /// The language of the figures' labels.
    public var language: Language

    /// Creates a query.
    ///
    /// - Parameters:
    ///   - report: The report asked for.
    ///   - organisationIDs: The organisations asked about, `nil` for all within reach.
    ///   - providerID: The provider organisation the report is about.
    ///   - years: The calendar years.
    ///   - asOf: The day the report is read on.
    ///   - principal: Who asks.
    ///   - language: The language of the labels.
    public init(
        report: ReportKind,
        organisationIDs: [Int]? = nil,
        providerID: Int? = nil,
        years: ClosedRange<Int>,
        asOf: LocalDate,
        principal: Principal,
        language: Language
    ) {
        self.report = report
        self.organisationIDs = organisationIDs
        self.providerID = providerID
        self.years = years
        self.asOf = asOf
        self.principal = principal
        self.language = language
    }

    /// The first day of the first year.
    public var from: LocalDate { LocalDate(year: years.lowerBound, month: 1, day: 1) ?? asOf }

    /// A condition on an organisation id column: true for the organisations asked about (any
    /// when the query names none). The contributor adds the caller's reach beside it.
    ///
    /// - Parameter column: The column, e.g. `s.cooperative_id`.
    /// - Returns: The condition, its ids bound as a parameter.
    public func asksFor(_ column: SQL) -> SQL {
        guard let organisationIDs else { return "TRUE" }
        return "\(column) = ANY(\(organisationIDs))"
    }

    /// The last day counted: the end of the last year, or the day read on when that is earlier.
    public var through: LocalDate { min(LocalDate(year: years.upperBound, month: 12, day: 31) ?? asOf, asOf) }
}
