import DataAccess
import Foundation

/// A cost booked on a project in a category on a day. Staff costs are hours × unit cost
/// (rule 17); indirect costs are never booked, they are computed.
struct CostEntry: Sendable, Hashable, Codable {
    let id: Int
    var projectId: Int
    var category: CostCategory
    var on: LocalDate
    var amount: Decimal
    var hours: Decimal?
    var unitCost: Decimal?
    /// Who contributes an in-kind co-financing entry (`financing`).
    var source: CoFinancingSource?
    var description: String

    static let columns: SQL = "c.id, c.project_id, c.category, c.spent_on, c.amount, c.hours, c.unit_cost, c.source, c.description"

    init(row: Row) throws {
        id = try row.decode("id")
        projectId = try row.decode("project_id")
        category = try row.decode("category")
        on = try row.decode("spent_on")
        amount = try row.decode("amount")
        hours = try row.decode("hours")
        unitCost = try row.decode("unit_cost")
        source = try row.decode("source")
        description = try row.decode("description")
    }
}

/// A cost as the API and CLI give it: an amount, or for staff hours with a unit cost (per
/// hour) or an annual cost (divided by 1 862 hours).
struct CostDraft: Sendable, Hashable, Codable {
    var category: CostCategory
    var on: LocalDate
    var amount: Decimal?
    var hours: Decimal?
    var unitCost: Decimal?
    var annualCost: Decimal?
    /// Co-financing in kind (`financing`): who contributes it; needed there, refused elsewhere.
    var source: CoFinancingSource?
    var description: String
}
