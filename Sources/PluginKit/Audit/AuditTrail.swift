public import DataAccess

/// A record the audit log can describe: its fields as JSON values, with identifying data
/// already masked or redacted, so the log never holds a full identity number.
public protocol Auditable {
    /// The fields the audit log compares before and after a change.
    var auditFields: [String: JSONValue] { get }
}

extension Transaction {
    /// Appends a row to the audit log (`kernel.audit_log`) in this transaction, so the row
    /// exists exactly when the change does. The row is sent with the `COMMIT`, in the same round
    /// trip (``Transaction/executeAtCommit(_:)``), so auditing a write costs no extra round trip.
    ///
    /// Only the fields that differ between `before` and `after` are stored; a creation has no
    /// `before`, a removal no `after`.
    ///
    /// - Parameters:
    ///   - actor: Who made the change.
    ///   - feature: The feature (or `registry`, `kernel`) that owns the entity.
    ///   - entity: The entity type, e.g. `organisation`.
    ///   - id: The entity's id.
    ///   - action: What happened, e.g. `create`, `update`, `state.active`, `erase`.
    ///   - before: The record before the change.
    ///   - after: The record after the change.
    /// - Throws: ``DatabaseError``.
    public func audit(
        _ actor: Actor,
        feature: String,
        entity: String,
        id: some CustomStringConvertible,
        action: String,
        before: (any Auditable)? = nil,
        after: (any Auditable)? = nil
    ) throws {
        let (changedBefore, changedAfter) = AuditDiff.changes(before: before?.auditFields, after: after?.auditFields)
        executeAtCommit(
            """
            INSERT INTO kernel.audit_log (actor_user_id, actor, request_id, feature, entity, entity_id, action, before, after)
            VALUES (\(actor.userID), \(actor.name), \(actor.requestID), \(feature), \(entity), \(id.description), \(action),
                    \(changedBefore.map(JSONValue.object)), \(changedAfter.map(JSONValue.object)))
            """
        )
    }
}

extension Transaction {
    /// Appends one audit row per record of a bulk write (an import), all in one statement run at
    /// once (not held for the `COMMIT`, so an import in chunks does not keep every chunk's
    /// records in memory).
    ///
    /// - Parameters:
    ///   - actor: Who made the change.
    ///   - feature: The feature that owns the entities.
    ///   - entity: The entity type.
    ///   - action: What happened to each, e.g. `import`.
    ///   - records: Each record's id and its fields after the change (identifying data masked).
    /// - Throws: ``DatabaseError``.
    public func audit(
        _ actor: Actor,
        feature: String,
        entity: String,
        action: String,
        records: [(id: String, after: any Auditable)]
    ) throws {
        guard !records.isEmpty else { return }
        let ids = records.map(\.id)
        let afters = records.map { JSONValue.object($0.after.auditFields).sqlText }
        _ = try execute(
            """
            INSERT INTO kernel.audit_log (actor_user_id, actor, request_id, feature, entity, entity_id, action, before, after)
            SELECT \(actor.userID), \(actor.name), \(actor.requestID), \(feature), \(entity), r.id, \(action), NULL, r.after::jsonb
            FROM unnest(\(ids)::text[], \(afters)::text[]) AS r(id, after)
            """
        )
    }
}

/// The changed fields of a before/after pair.
enum AuditDiff {
    static func changes(
        before: [String: JSONValue]?,
        after: [String: JSONValue]?
    ) -> (before: [String: JSONValue]?, after: [String: JSONValue]?) {
        guard let before, let after else { return (before, after) }
        var changedBefore: [String: JSONValue] = [:]
        var changedAfter: [String: JSONValue] = [:]
        // Two passes over the dictionaries instead of a set of all keys: this runs on every write.
        for (key, old) in before where after[key] != old {
            changedBefore[key] = old
            changedAfter[key] = after[key] ?? .null
        }
        for (key, new) in after where before[key] == nil {
            changedBefore[key] = .null
            changedAfter[key] = new
        }
        return (changedBefore, changedAfter)
    }
}
