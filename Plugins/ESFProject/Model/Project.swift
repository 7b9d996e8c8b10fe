import DataAccess
import Foundation

/// An ESF project: case number (diarienummer), owner, period, programme area, EU share, budget
/// per cost category and targets.
struct Project: Sendable, Hashable, Codable {
    let id: Int
    var caseNumber: String
    var name: String
    var ownerId: Int
    var from: LocalDate
    var to: LocalDate
    var programmeArea: String
    /// The EU's share of eligible costs in percent; co-financing is the rest (rule 17).
    var euSharePercent: Decimal
    /// The indicator set the reports use (`2014-2020`).
    var indicatorSet: String
    var jobsTarget: Int?
    var jobsTargetOn: LocalDate?
    var participantsTarget: Int?
    var participantsTargetOn: LocalDate?
    var state: ProjectState
    var budget: [BudgetLine]
    /// The coordinator user who answers for it and gets its reminders.
    var coordinatorUserId: Int?

    /// One budget line.
    struct BudgetLine: Sendable, Hashable, Codable {
        var category: CostCategory
        var amount: Decimal
    }

    static let columns: SQL = """
        p.id, p.case_number, p.name, p.owner_id, p.from_date, p.to_date, p.programme_area, p.eu_share_percent, p.indicator_set,
        p.jobs_target, p.jobs_target_on, p.participants_target, p.participants_target_on, p.state,
        p.coordinator_user_id
        """

    init(row: Row, budget: [BudgetLine]) throws {
        id = try row.decode("id")
        caseNumber = try row.decode("case_number")
        name = try row.decode("name")
        ownerId = try row.decode("owner_id")
        from = try row.decode("from_date")
        to = try row.decode("to_date")
        programmeArea = try row.decode("programme_area")
        euSharePercent = try row.decode("eu_share_percent")
        indicatorSet = try row.decode("indicator_set")
        jobsTarget = try row.decode("jobs_target")
        jobsTargetOn = try row.decode("jobs_target_on")
        participantsTarget = try row.decode("participants_target")
        participantsTargetOn = try row.decode("participants_target_on")
        state = try row.decode("state")
        self.budget = budget
        coordinatorUserId = try row.decode("coordinator_user_id")
    }
}
