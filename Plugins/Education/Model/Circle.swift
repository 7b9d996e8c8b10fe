import DataAccess
import Foundation
import PluginKit

/// A study circle: a study association's course with a leader, an assisting supervisor, a
/// subject and a plan, maybe aiming to form a cooperative.
struct Circle: Sendable, Hashable, Codable {
    let id: Int
    var studyAssociationId: Int
    /// The organisation that runs the circle besides the study association (a municipal unit,
    /// say); absent: the study association alone.
    var organiserId: Int?
    var leaderId: Int
    var assistantId: Int?
    var subject: String
    var studyPlan: String
    var aimsCooperativeId: Int?
    var plannedStart: LocalDate
    var plannedEnd: LocalDate
    var state: CircleState
    var rejectionReason: String?
    /// Why the circle was reported although a rule failed, and by whom.
    var overrideReason: String?
    var overrideBy: String?
    /// The name of the cooperative it formed, when it did.
    var formedCooperative: String?
    var createdAt: Date
    var updatedAt: Date
}

extension Circle: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "studyAssociationId": .int(studyAssociationId), "organiserId": JSONValue(organiserId), "leaderId": .int(leaderId),
            "assistantId": JSONValue(assistantId),
            "subject": .string(subject), "aimsCooperativeId": JSONValue(aimsCooperativeId),
            "plannedStart": JSONValue(describing: plannedStart), "plannedEnd": JSONValue(describing: plannedEnd),
            "state": .string(state.rawValue), "rejectionReason": JSONValue(rejectionReason), "overrideReason": JSONValue(overrideReason),
            "formedCooperative": JSONValue(formedCooperative),
        ]
    }
}

extension Circle {
    /// The columns `Circle(row:)` reads, from the alias `c`.
    static let columns: SQL = """
        c.id, c.study_association_id, c.organiser_id, c.leader_id, c.assistant_id, c.subject, c.study_plan, c.aims_cooperative_id, c.planned_start,
        c.planned_end, c.state, c.rejection_reason, c.override_reason, c.override_by, c.formed_cooperative, c.created_at, c.updated_at
        """

    init(row: Row) throws {
        self.init(
            id: try row.decode("id"),
            studyAssociationId: try row.decode("study_association_id"),
            organiserId: try row.decode("organiser_id"),
            leaderId: try row.decode("leader_id"),
            assistantId: try row.decode("assistant_id"),
            subject: try row.decode("subject"),
            studyPlan: try row.decode("study_plan"),
            aimsCooperativeId: try row.decode("aims_cooperative_id"),
            plannedStart: try row.decode("planned_start"),
            plannedEnd: try row.decode("planned_end"),
            state: try row.decode("state"),
            rejectionReason: try row.decode("rejection_reason"),
            overrideReason: try row.decode("override_reason"),
            overrideBy: try row.decode("override_by"),
            formedCooperative: try row.decode("formed_cooperative"),
            createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at")
        )
    }
}

/// A new circle.
struct CircleDraft: Sendable, Hashable, Codable {
    var studyAssociationId: Int
    /// The organisation running it besides the study association; absent: the unit responsible
    /// for education on the planned start, if one is recorded.
    var organiserId: Int? = nil
    var leaderId: Int
    var assistantId: Int?
    var subject: String
    var studyPlan: String?
    var aimsCooperativeId: Int?
    var plannedStart: LocalDate
    var plannedEnd: LocalDate
}

/// A change of a circle's state: `rejected` needs a reason; `reported` while a rule fails
/// needs an override reason; `completed` may record the cooperative the circle formed.
struct CircleStateChange: Sendable, Hashable, Codable {
    var state: CircleState
    var reason: String?
    /// Report although a rule fails (officers only), with this reason.
    var overrideReason: String?
    /// On completion: the circle formed a cooperative of this name (the registry creates it as
    /// a prospect, or links an existing one with `formedCooperativeId`).
    var formedCooperative: String?
    var formedCooperativeId: Int?
    /// The day it happened (today when absent); a formed cooperative's members start then.
    var on: LocalDate?
}
