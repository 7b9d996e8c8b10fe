import DataAccess
import Foundation

/// The monthly participant report to the statistics agency for one month: the participants who
/// started or ended in it (rule 16). open → submitted → superseded; correcting a submitted
/// month supersedes it and every later submitted month with a new open version.
struct MonthlyReport: Sendable, Hashable, Codable {
    var projectId: Int
    /// `YYYY-MM`.
    var month: String
    var version: Int
    var state: State
    /// Four weeks after the month's last day.
    var dueOn: LocalDate
    var overdue: Bool
    var started: Int
    var ended: Int
    var submittedAt: Date?
    var submittedBy: String?
    var reason: String?

    enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case open
        case submitted
        case superseded
    }
}

extension MonthlyReport.State: SQLEncodable, SQLDecodable {}

/// Why a month is re-opened (`POST …/monthly-reports/{month}/reopen`).
struct Reopen: Sendable, Hashable, Codable {
    /// The reason, kept with the new open version.
    var reason: String
}
