import DataAccess
import Foundation
import PluginKit

/// A supervision session under an assignment: when, how long, who was there, what it was about,
/// what was agreed, and the development goals it worked on.
struct Session: Sendable, Hashable, Codable {
    let id: Int
    var assignmentId: Int
    var cooperativeId: Int
    var on: LocalDate
    var minutes: Int
    var attendeeIds: [Int]
    var topics: [SessionTopic]
    var actions: [AgreedAction]
    var goalIds: [Int]
    var notes: String?
    var createdAt: Date
}

/// Something agreed in a session: what, who does it, by when.
struct AgreedAction: Sendable, Hashable, Codable {
    var what: String
    var ownerId: Int?
    var due: LocalDate?
}

/// A session to record.
struct SessionDraft: Sendable, Hashable, Codable {
    var assignmentId: Int
    var on: LocalDate
    var minutes: Int
    var attendeeIds: [Int]?
    var topics: [SessionTopic]
    var actions: [AgreedAction]?
    var goalIds: [Int]?
    var notes: String?
}

extension Session: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "assignmentId": .int(assignmentId), "on": JSONValue(describing: on), "minutes": .int(minutes),
            "attendeeIds": .array(attendeeIds.map(JSONValue.int)), "topics": .array(topics.map { .string($0.rawValue) }),
            "actions": .int(actions.count), "goalIds": .array(goalIds.map(JSONValue.int)),
        ]
    }
}

extension Session {
    /// The columns `Session(row:)` reads, from the alias `s`, with attendees, actions and goals.
    static let columns: SQL = """
        s.id, s.assignment_id, s.cooperative_id, s.held_on, s.minutes, s.topics, s.notes, s.created_at,
        (SELECT coalesce(jsonb_agg(sa.person_id ORDER BY sa.person_id), '[]') FROM supervision.session_attendees sa
          WHERE sa.session_id = s.id) AS attendee_ids,
        (SELECT coalesce(jsonb_agg(sg.goal_id ORDER BY sg.goal_id), '[]') FROM supervision.session_goals sg
          WHERE sg.session_id = s.id) AS goal_ids,
        (SELECT coalesce(jsonb_agg(jsonb_build_object('what', aa.what, 'ownerId', aa.owner_id, 'due', aa.due_on) ORDER BY aa.id), '[]')
          FROM supervision.agreed_actions aa WHERE aa.session_id = s.id) AS actions
        """

    init(row: Row) throws {
        self.init(
            id: try row.decode("id"),
            assignmentId: try row.decode("assignment_id"),
            cooperativeId: try row.decode("cooperative_id"),
            on: try row.decode("held_on"),
            minutes: try row.decode("minutes"),
            attendeeIds: try row.decode("attendee_ids", as: JSONB<[Int]>.self).value,
            topics: try row.decode("topics", as: JSONB<[SessionTopic]>.self).value,
            actions: try row.decode("actions", as: JSONB<[AgreedAction]>.self).value,
            goalIds: try row.decode("goal_ids", as: JSONB<[Int]>.self).value,
            notes: try row.decode("notes"),
            createdAt: try row.decode("created_at")
        )
    }
}
