import DataAccess
import Foundation
import PluginKit

/// A cooperative supervised by a provider organisation through a named supervisor, at a share
/// of full time, for a period, with a funding source, a review date and an hours target.
struct Assignment: Sendable, Hashable, Codable {
    let id: Int
    var cooperativeId: Int
    var providerId: Int
    var supervisorId: Int
    /// Share of full time in percent, in (0, 100].
    var sharePercent: Decimal
    var from: LocalDate
    var to: LocalDate?
    /// Who pays, in words ("the municipality's grant", "own pot").
    var fundingSource: String
    /// The funding pot it is paid from, if any.
    var potId: Int?
    var reviewOn: LocalDate?
    /// The agreed supervision hours per month, for follow-up.
    var targetHoursPerMonth: Decimal?
    var state: AssignmentState
    var endedOn: LocalDate?
    var endReason: String?
    /// The assignment a handover ended to open this one.
    var handedOverFrom: Int?
    /// The case number (diarienummer) of the decision behind it.
    var caseNumber: String?
    /// The supervisor user (of the provider) who answers for it and gets its reminders.
    var supervisorUserId: Int?
    var createdAt: Date
    var updatedAt: Date

    /// Whether sessions on `day` belong under it.
    func covers(_ day: LocalDate) -> Bool { from <= day && (to.map { day <= $0 } ?? true) }
}

extension Assignment: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "cooperativeId": .int(cooperativeId), "providerId": .int(providerId), "supervisorId": .int(supervisorId),
            "sharePercent": JSONValue(describing: sharePercent), "from": JSONValue(describing: from), "to": JSONValue(describing: to),
            "fundingSource": .string(fundingSource), "potId": JSONValue(potId), "reviewOn": JSONValue(describing: reviewOn),
            "targetHoursPerMonth": JSONValue(describing: targetHoursPerMonth), "state": .string(state.rawValue),
            "endedOn": JSONValue(describing: endedOn), "endReason": JSONValue(endReason), "caseNumber": JSONValue(caseNumber),
            "supervisorUserId": JSONValue(supervisorUserId),
        ]
    }
}

extension Assignment {
    /// The columns `Assignment(row:)` reads, from the alias `a`.
    static let columns: SQL = """
        a.id, a.cooperative_id, a.provider_id, a.supervisor_id, a.share_percent, a.from_date, a.to_date, a.funding_source, a.pot_id,
        a.review_on, a.target_hours_per_month, a.state, a.ended_on, a.end_reason, a.handed_over_from, a.case_number, a.supervisor_user_id, a.created_at,
        a.updated_at
        """

    init(row: Row) throws {
        self.init(
            id: try row.decode("id"),
            cooperativeId: try row.decode("cooperative_id"),
            providerId: try row.decode("provider_id"),
            supervisorId: try row.decode("supervisor_id"),
            sharePercent: try row.decode("share_percent"),
            from: try row.decode("from_date"),
            to: try row.decode("to_date"),
            fundingSource: try row.decode("funding_source"),
            potId: try row.decode("pot_id"),
            reviewOn: try row.decode("review_on"),
            targetHoursPerMonth: try row.decode("target_hours_per_month"),
            state: try row.decode("state"),
            endedOn: try row.decode("ended_on"),
            endReason: try row.decode("end_reason"),
            handedOverFrom: try row.decode("handed_over_from"),
            caseNumber: try row.decode("case_number"),
            supervisorUserId: try row.decode("supervisor_user_id"),
            createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at")
        )
    }
}
