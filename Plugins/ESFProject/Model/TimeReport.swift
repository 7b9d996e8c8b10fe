import DataAccess
import Foundation

/// The hours a staff member worked in the project in one month (rule 17): at most 155.16 at
/// full time, scaled by the employment share. The unit cost is derived from it (the yearly
/// cost over the hours of a year at that share) and it books the month's staff cost.
struct TimeReport: Sendable, Hashable, Codable {
    let id: Int
    var projectId: Int
    var personId: Int
    /// `YYYY-MM`.
    var month: String
    var hours: Decimal
    var employmentPercent: Decimal
    var annualCost: Decimal
    /// The yearly cost over the hours of a year at the employment share.
    var unitCost: Decimal
    /// Hours × unit cost, booked as the staff cost ``costId``.
    var amount: Decimal
    var costId: Int

    static let columns: SQL = """
        t.id, t.project_id, t.person_id, to_char(t.month, 'YYYY-MM') AS month, t.hours, t.employment_percent, t.annual_cost, t.unit_cost,
        c.amount, t.cost_id
        """

    init(row: Row) throws {
        id = try row.decode("id")
        projectId = try row.decode("project_id")
        personId = try row.decode("person_id")
        month = try row.decode("month")
        hours = try row.decode("hours")
        employmentPercent = try row.decode("employment_percent")
        annualCost = try row.decode("annual_cost")
        unitCost = try row.decode("unit_cost")
        amount = try row.decode("amount")
        costId = try row.decode("cost_id")
    }
}

/// A staff member's hours in a month as the API and the form give them.
struct TimeReportDraft: Sendable, Hashable, Codable {
    var personId: Int
    /// `YYYY-MM`.
    var month: String
    var hours: Decimal
    /// The staff member's share of full time, in percent.
    var employmentPercent: Decimal
    /// What the staff member costs a year at that share (salary and fees), in kronor.
    var annualCost: Decimal
}
