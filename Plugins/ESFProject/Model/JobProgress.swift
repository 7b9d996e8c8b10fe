import DataAccess
import Foundation

/// Progress toward a project's jobs target on a day: the count, split by gender, employer and
/// month, and a straight-line projection to the target date.
struct JobProgress: Sendable, Hashable, Codable {
    var projectId: Int
    var asOf: LocalDate
    var target: Int?
    var targetOn: LocalDate?
    /// Jobs started from the project's start up to `asOf`.
    var jobs: Int
    var byGender: [String: Int]
    var byEmployer: [EmployerCount]
    var byMonth: [MonthCount]
    /// The count the current pace reaches on `targetOn` (jobs per day since the start × days to it).
    var projected: Int?
    /// Whether the projection reaches the target.
    var onTrack: Bool?

    struct EmployerCount: Sendable, Hashable, Codable {
        var employerId: Int
        var employer: String
        var jobs: Int
    }

    struct MonthCount: Sendable, Hashable, Codable {
        /// `YYYY-MM`.
        var month: String
        var started: Int
        var cumulative: Int
    }

    /// The straight line through the project's start (0 jobs) and `asOf` (`jobs`), read at `targetOn`.
    static func projection(jobs: Int, from start: LocalDate, asOf: LocalDate, targetOn: LocalDate) -> Int {
        let elapsed = asOf.daysSinceEpoch - start.daysSinceEpoch + 1
        guard elapsed > 0 else { return 0 }
        let total = targetOn.daysSinceEpoch - start.daysSinceEpoch + 1
        if asOf >= targetOn { return jobs }
        return Int((Double(jobs) * Double(total) / Double(elapsed)).rounded(.down))
    }
}
