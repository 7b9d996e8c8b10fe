import DataAccess
import PluginKit

/// One entry period of a participation: from an entry to its end, with the results at that end
/// (rule 14). A re-entry adds a period; a month's figures come from the periods, so a later
/// entry leaves a submitted month as it was (rules 13, 16), and only a correction of a period
/// re-opens the months it touches.
struct ParticipationPeriod: Sendable, Hashable, Codable {
    let id: Int
    var participationId: Int
    var projectId: Int
    /// The day of this entry.
    var from: LocalDate
    /// The last day; `nil` while the person is in the project.
    var to: LocalDate?
    var exitResults: [ExitResult]?
    var exitRecordedOn: LocalDate?

    static let columns: SQL = """
        e.id, e.participation_id, e.project_id, e.from_date, e.to_date,
        array_to_string(e.exit_results, ',') AS exit_results, e.exit_recorded_on
        """

    init(row: Row) throws {
        id = try row.decode("id")
        participationId = try row.decode("participation_id")
        projectId = try row.decode("project_id")
        from = try row.decode("from_date")
        to = try row.decode("to_date")
        exitResults = try row.decode("exit_results", as: String?.self).map { Participation.list($0) }
        exitRecordedOn = try row.decode("exit_recorded_on")
    }

    /// Whether the period and `other` share a day (an open end runs on for ever).
    func overlaps(from otherFrom: LocalDate, to otherTo: LocalDate?) -> Bool {
        (otherTo.map { from <= $0 } ?? true) && (to.map { otherFrom <= $0 } ?? true)
    }
}

extension ParticipationPeriod: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "participationId": .int(participationId), "projectId": .int(projectId), "from": JSONValue(describing: from),
            "to": JSONValue(describing: to), "exitResults": JSONValue(exitResults.map { $0.map(\.rawValue).joined(separator: ",") }),
            "exitRecordedOn": JSONValue(describing: exitRecordedOn),
        ]
    }
}
