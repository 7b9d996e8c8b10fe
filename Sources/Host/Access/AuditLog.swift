import DataAccess
import Foundation
import Hummingbird
import PluginKit

/// Reads `kernel.audit_log`, newest first, for `kooperator audit` and `GET /api/v1/audit`.
struct AuditLog: Sendable {
    /// One row.
    struct Entry: Codable, Sendable, Hashable {
        var id: Int
        var at: Date
        var actor: String
        var actorUserId: Int?
        var requestId: String?
        var feature: String
        var entity: String
        var entityId: String
        var action: String
        var before: [String: JSONValue]?
        var after: [String: JSONValue]?
    }

    /// What to read: `entity` is `<feature>.<entity>[:<id>]` or `<entity>`.
    struct Query: Sendable {
        var entity: String?
        var feature: String?
        var since: LocalDate?
        var limit = 100
        /// Only rows older than this id (the next page).
        var beforeID: Int?
    }

    let database: Database

    func entries(_ query: Query) async throws -> [Entry] {
        var conditions: [SQL] = ["TRUE"]
        if let feature = query.feature { conditions.append("feature = \(feature)") }
        if var entity = query.entity {
            if let colon = entity.lastIndex(of: ":") {
                conditions.append("entity_id = \(String(entity[entity.index(after: colon)...]))")
                entity = String(entity[..<colon])
            }
            if let dot = entity.firstIndex(of: ".") {
                conditions.append("feature = \(String(entity[..<dot]))")
                entity = String(entity[entity.index(after: dot)...])
            }
            if !entity.isEmpty { conditions.append("entity = \(entity)") }
        }
        if let since = query.since { conditions.append("at >= \(since)::date") }
        if let beforeID = query.beforeID { conditions.append("id < \(beforeID)") }
        let rows = try await database.query(
            """
            SELECT id, at, actor, actor_user_id, request_id, feature, entity, entity_id, action, before, after
            FROM kernel.audit_log WHERE \(SQL.joined(conditions, separator: " AND "))
            ORDER BY id DESC LIMIT \(query.limit)
            """
        )
        return try rows.map { row in
            Entry(
                id: try row.decode("id"),
                at: try row.decode("at"),
                actor: try row.decode("actor"),
                actorUserId: try row.decode("actor_user_id"),
                requestId: try row.decode("request_id"),
                feature: try row.decode("feature"),
                entity: try row.decode("entity"),
                entityId: try row.decode("entity_id"),
                action: try row.decode("action"),
                before: try row.decode("before", as: JSONB<[String: JSONValue]>?.self)?.value,
                after: try row.decode("after", as: JSONB<[String: JSONValue]>?.self)?.value
            )
        }
    }
}
