public import Foundation

/// One figure of a feature's part of a report: a value of a measure for an organisation (or
/// none) in a year, perhaps broken down (by provider, by kind of grant) and, for money, at a
/// stage (decided or paid).
public struct ReportFigure: Sendable, Hashable, Codable {
    /// What a value counts.
    public enum Unit: String, Sendable, Hashable, Codable {
        /// A number of people, circles, jobs or goals.
        case count
        /// Hours (supervision, study hours).
        case hours
        /// Kronor.
        case money
    }

    /// Where money is in its course.
    public enum Stage: String, Sendable, Hashable, Codable {
        /// Decided (granted, agreed, budgeted).
        case decided
        /// Paid out (spent).
        case paid
    }

    /// The feature that gave it (`supervision`).
    public var feature: String
    /// The measure's stable key (`supervision.hours`), the same in every language.
    public var measure: String
    /// The measure's name in the query's language.
    public var label: String
    /// What the value counts.
    public var unit: Unit
    /// The organisation it concerns; `nil` for a figure of the whole municipality.
    public var organisationID: Int?
    /// The calendar year.
    public var year: Int
    /// What the figure is broken down by, in the query's language (a provider's name, a kind
    /// of grant); `nil` when it is not.
    public var breakdown: String?
    /// For money, decided or paid.
    public var stage: Stage?
    /// The provider organisation the figure came from (supervision hours), if it has one: the
    /// before-and-after report picks the cooperatives a provider supervised by it.
    public var providerID: Int?
    /// The value.
    public var value: Decimal

    enum CodingKeys: String, CodingKey {
        case feature, measure, label, unit, year, breakdown, stage, value
        case organisationID = "organisationId"
        case providerID = "providerId"
    }

    /// Creates a figure.
    public init(
        feature: String,
        measure: String,
        label: String,
        unit: Unit,
        organisationID: Int?,
        year: Int,
        breakdown: String? = nil,
        stage: Stage? = nil,
        providerID: Int? = nil,
        value: Decimal
    ) {
        self.feature = feature
        self.measure = measure
        self.label = label
        self.unit = unit
        self.organisationID = organisationID
        self.year = year
        self.breakdown = breakdown
        self.stage = stage
        self.providerID = providerID
        self.value = value
    }
}
