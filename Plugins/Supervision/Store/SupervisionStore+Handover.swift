import DataAccess
import PluginKit
import Registry

extension SupervisionStore {
    /// Moves every assignment in force of one provider to another from a day, in the caller's
    /// transaction: each old assignment ends the day before, a new active one opens with the same
    /// cooperative, share, funding, end, review date and target. Everything is checked before
    /// anything is written, and a failure rolls the whole transaction back, so a handover moves
    /// all or nothing.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` for the same provider twice, an unknown
    ///   organisation or a supervisor who is not the new provider's; `.conflict` when there is
    ///   nothing to move or a cooperative already has an assignment with the new provider.
    func handover(_ request: HandoverRequest, actor: Actor, in tx: Transaction) throws -> HandoverSummary {
        guard request.fromProviderId != request.toProviderId else {
            throw FeatureError(
                .invalidInput,
                "must be another provider than fromProviderId (\(request.fromProviderId))",
                field: "/toProviderId",
                wording: "sameProvider"
            )
        }
        let from = try organisation(request.fromProviderId, field: "/fromProviderId", reach: .everything, in: tx)
        let to = try organisation(request.toProviderId, field: "/toProviderId", reach: .everything, in: tx)
        try checkNotWoundUp(to, on: request.on, field: "/toProviderId")
        let moving = try tx.query(
            """
            SELECT \(Assignment.columns), o.name AS cooperative_name
            FROM supervision.assignments a JOIN registry.organisations o ON o.id = a.cooperative_id
            WHERE a.provider_id = \(from.id) AND a.state IN \(AssignmentState.inForceSQL)
            ORDER BY \(SQL.swedish("o.name")), a.id
            FOR UPDATE OF a
            """
        ).map { row in (try Assignment(row: row), try row.decode("cooperative_name", as: String.self)) }
        guard !moving.isEmpty else {
            throw FeatureError(
                .conflict,
                "\(from.name) has no assignments in force to hand over",
                field: "/fromProviderId",
                wording: Wording("nothingToHandOver", ["name": from.name])
            )
        }
        let lastOldDay = request.on.adding(days: -1)
        var moves: [HandoverSummary.Move] = []
        for (assignment, name) in moving {
            guard lastOldDay >= assignment.from else {
                throw FeatureError(
                    .invalidInput,
                    "the assignment of \(name) (\(assignment.id)) began on \(assignment.from); the handover must come after that",
                    field: "/on",
                    wording: Wording("handoverBeforeStart", ["name": name, "from": "\(assignment.from)"])
                )
            }
            if let end = assignment.to, end < request.on {
                throw FeatureError(
                    .invalidInput,
                    "the assignment of \(name) (\(assignment.id)) ends on \(end), before the handover; end or renew it first",
                    field: "/on",
                    wording: Wording("handoverAfterEnd", ["name": name, "end": "\(end)"])
                )
            }
            let supervisor = request.supervisorId ?? assignment.supervisorId
            try checkSupervisor(supervisor, provider: to, from: request.on, to: assignment.to, field: "/supervisorId", in: tx)
            let cooperative = try registry.organisation(id: assignment.cooperativeId, reach: .everything, in: tx)
            try checkNoneInForce(cooperative: cooperative, provider: to, field: "/toProviderId", in: tx)
            moves.append(
                HandoverSummary.Move(
                    cooperativeId: assignment.cooperativeId,
                    cooperativeName: name,
                    endedAssignmentId: assignment.id,
                    newAssignmentId: nil,
                    supervisorId: supervisor
                )
            )
        }
        if request.preview == true {
            return HandoverSummary(id: nil, fromProviderId: from.id, toProviderId: to.id, on: request.on, preview: true, moved: moves)
        }
        let reason = "handed over to \(to.name) from \(request.on)"
        for (index, (old, _)) in moving.enumerated() {
            _ = try end(old, on: lastOldDay, reason: reason, actor: actor, in: tx)
            let row = try tx.query(
                """
                INSERT INTO supervision.assignments AS a
                    (cooperative_id, provider_id, supervisor_id, share_percent, from_date, to_date, funding_source, pot_id, review_on,
                     target_hours_per_month, state, handed_over_from)
                VALUES (\(old.cooperativeId), \(to.id), \(moves[index].supervisorId), \(old.sharePercent), \(request.on), \(old.to),
                        \(old.fundingSource), \(old.potId), \(old.reviewOn), \(old.targetHoursPerMonth), 'active', \(old.id))
                RETURNING \(Assignment.columns)
                """
            ).single()
            let new = try Assignment(row: row)
            try tx.audit(actor, feature: Self.feature, entity: "assignment", id: new.id, action: "create.handover", after: new)
            try started(new, in: tx)
            moves[index].newAssignmentId = new.id
        }
        let handoverID: Int = try tx.query(
            """
            INSERT INTO supervision.handovers (from_provider_id, to_provider_id, handed_over_on, moved, actor)
            VALUES (\(from.id), \(to.id), \(request.on), \(moves.count), \(actor.name)) RETURNING id
            """
        ).single().decode("id")
        let summary = HandoverSummary(id: handoverID, fromProviderId: from.id, toProviderId: to.id, on: request.on, preview: false, moved: moves)
        try tx.audit(actor, feature: Self.feature, entity: "handover", id: handoverID, action: "create", after: summary)
        try events.publish(
            HandoverCompleted(
                handoverId: handoverID,
                fromProviderId: from.id,
                toProviderId: to.id,
                on: request.on,
                cooperativeIds: moves.map(\.cooperativeId)
            ),
            in: tx
        )
        return summary
    }
}

extension HandoverSummary: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "fromProviderId": .int(fromProviderId), "toProviderId": .int(toProviderId), "on": JSONValue(describing: on),
            "moved": .array(
                moved.map {
                    .object([
                        "cooperativeId": .int($0.cooperativeId), "endedAssignmentId": .int($0.endedAssignmentId),
                        "newAssignmentId": JSONValue($0.newAssignmentId),
                    ])
                }
            ),
        ]
    }
}
