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
    /// The coordinator user who answers for it; the coordinator creating it when absent.
    var coordinatorUserId: Int?
}

/// Who answers for a project: its coordinator user, or nobody.
struct ProjectResponsible: Sendable, Hashable, Codable {
    var coordinatorUserId: Int?
}

/// A change of a project's state.
struct ProjectStateChange: Sendable, Hashable, Codable {
    var state: ProjectState
}
