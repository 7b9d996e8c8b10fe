import DataAccess
import Foundation

/// A new ESF project as the API and CLI give it.
struct ProjectDraft: Sendable, Hashable, Codable {
    var caseNumber: String
    var name: String
    var ownerId: Int
    var from: LocalDate
    var to: LocalDate
    var programmeArea: String
    /// Default: the configured `defaultEUSharePercent`.
    var euSharePercent: Decimal?
    /// Default: the configured `indicatorSet`.
    var indicatorSet: String?
    var jobsTarget: Int?
    var jobsTargetOn: LocalDate?
    var participantsTarget: Int?
    var participantsTargetOn: LocalDate?
    var budget: [Project.BudgetLine]?
}

/// A change of a project's state.
struct ProjectStateChange: Sendable, Hashable, Codable {
    var state: ProjectState
}
