import DataAccess
import Foundation
import PluginKit

/// Where a development goal is: open → in progress → met | dropped.
enum GoalState: String, Sendable, Hashable, Codable, CaseIterable {
    case open
    case inProgress
    case met
    case dropped

    /// The states a change may lead to from this one.
    var allowedNext: [GoalState] {
        switch self {
        case .open: [.inProgress, .dropped]
        case .inProgress: [.met, .dropped]
        case .met, .dropped: []
        }
    }
}

extension GoalState: SQLEncodable, SQLDecodable {}

/// A development goal of a cooperative, or of one of its members, and the sessions that worked
/// on it.
struct Goal: Sendable, Hashable, Codable {
    let id: Int
    var cooperativeId: Int
    var personId: Int?
    var title: String
    var description: String?
    var state: GoalState
    var openedOn: LocalDate
    var closedOn: LocalDate?
    var sessionIds: [Int]
    var createdAt: Date
    var updatedAt: Date
}

extension Goal: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "cooperativeId": .int(cooperativeId), "personId": JSONValue(personId), "title": .string(title),
            "description": JSONValue(description), "state": .string(state.rawValue), "openedOn": JSONValue(describing: openedOn),
            "closedOn": JSONValue(describing: closedOn),
        ]
    }
}

extension Goal {
    /// The columns `Goal(row:)` reads, from the alias `g`, with the sessions that worked on it.
    static let columns: SQL = """
        g.id, g.cooperative_id, g.person_id, g.title, g.description, g.state, g.opened_on, g.closed_on, g.created_at, g.updated_at,
        (SELECT coalesce(jsonb_agg(sg.session_id ORDER BY sg.session_id), '[]') FROM supervision.session_goals sg
          WHERE sg.goal_id = g.id) AS session_ids
        """

    init(row: Row) throws {
        self.init(
            id: try row.decode("id"),
            cooperativeId: try row.decode("cooperative_id"),
            personId: try row.decode("person_id"),
            title: try row.decode("title"),
            description: try row.decode("description"),
            state: try row.decode("state"),
            openedOn: try row.decode("opened_on"),
            closedOn: try row.decode("closed_on"),
            sessionIds: try row.decode("session_ids", as: JSONB<[Int]>.self).value,
            createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at")
        )
    }
}

/// A new goal.
struct GoalDraft: Sendable, Hashable, Codable {
    var cooperativeId: Int
    /// The member it is about; absent for the cooperative's own goal.
    var personId: Int?
    var title: String
    var description: String?
    var openedOn: LocalDate?
}

/// A goal's change of state.
struct GoalStateChange: Sendable, Hashable, Codable {
    var state: GoalState
    var on: LocalDate?
}
