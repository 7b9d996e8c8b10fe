public import DataAccess
public import Foundation
public import PluginKit

/// What the municipality spent on its own unit (an organisation of legal form
/// ``LegalForm/municipalUnit``) in a calendar year, as an officer entered it: the report of
/// where the money went shows it beside the grants, contracts and pots.
public struct UnitCost: Sendable, Hashable, Codable {
    /// The unit.
    public let organisationId: Int
    /// The calendar year.
    public var year: Int
    /// The cost in kronor.
    public var amount: Decimal

    /// Creates a unit's cost for a year.
    public init(organisationId: Int, year: Int, amount: Decimal) {
        self.organisationId = organisationId
        self.year = year
        self.amount = amount
    }

    /// The columns a row of `registry.unit_costs` is read with.
    static let columns: SQL = "organisation_id, year, amount"

    /// The cost from a row of ``columns``.
    init(row: Row) throws {
        self.init(organisationId: try row.decode("organisation_id"), year: try row.decode("year"), amount: try row.decode("amount"))
    }
}

extension UnitCost: Auditable {
    /// Every field: no personal data.
    public var auditFields: [String: JSONValue] {
        ["organisationId": .int(organisationId), "year": .int(year), "amount": .string("\(amount)")]
    }
}

/// A unit's cost for a year as entered: the year and the amount.
public struct UnitCostEntry: Sendable, Hashable, Codable {
    /// The calendar year (1900–2199).
    public var year: Int
    /// The cost in kronor, not negative, in öre at most.
    public var amount: Decimal

    /// Creates an entry.
    public init(year: Int, amount: Decimal) {
        self.year = year
        self.amount = amount
    }
}
