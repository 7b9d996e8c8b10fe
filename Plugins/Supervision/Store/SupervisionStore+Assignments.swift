import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

/// What to list of the assignments.
struct AssignmentQuery: Sendable, Hashable {
    var cooperativeId: Int?
    var providerId: Int?
    var state: AssignmentState?
    /// Case numbers containing this text, letter case and spacing ignored.
    var caseNumber: String?
}

extension SupervisionStore {
    /// The assignment with `id`, if its cooperative is within reach.
    func assignment(id: Int, reach: Reach, in executor: some SQLExecutor) throws -> Assignment {
        guard
            let row = try executor.queryFirst(
                "SELECT \(Assignment.columns) FROM supervision.assignments a WHERE a.id = \(id) AND \(reach.allowsOrganisation("a.cooperative_id"))"
            )
        else { throw FeatureError.notFound("assignment", id: id) }
        return try Assignment(row: row)
    }

    /// Assignments by id, past and present, of the cooperatives within reach.
    func assignments(matching query: AssignmentQuery, page: PageRequest, reach: Reach, in executor: some SQLExecutor) throws -> Page<Assignment> {
        var conditions: [SQL] = [reach.allowsOrganisation("a.cooperative_id")]
        if let cooperative = query.cooperativeId { conditions.append("a.cooperative_id = \(cooperative)") }
        if let provider = query.providerId { conditions.append("a.provider_id = \(provider)") }
        if let state = query.state { conditions.append("a.state = \(state)") }
        if let text = query.caseNumber { conditions.append(Self.caseNumberContains(text, column: "a.case_number")) }
        if let after = page.afterID { conditions.append("a.id > \(after)") }
        let rows = try executor.query(
            """
            SELECT \(Assignment.columns) FROM supervision.assignments a
            WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY a.id LIMIT \(page.limit + 1)
            """
        )
        return page.page(try rows.map(Assignment.init(row:)), id: \.id)
    }

    /// Records an assignment, `proposed` unless the draft says `active`.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field (share, dates, an organisation
    ///   that is not a cooperative, a supervisor who is not one of the provider's, a pot of
    ///   another cooperative), `.conflict` when the cooperative already has an assignment in
    ///   force with the provider.
    func createAssignment(_ draft: AssignmentDraft, reach: Reach, actor: Actor, in tx: Transaction) throws -> Assignment {
        let state = draft.state ?? .proposed
        guard state == .proposed || state == .active else {
            throw FeatureError(.invalidInput, "a new assignment is proposed or active, not \(state.rawValue)", field: "/state")
        }
        let share = try Self.share(draft.sharePercent, field: "/sharePercent")
        try Self.period(from: draft.from, to: draft.to, field: "/to")
        let funding = try Input.text(draft.fundingSource, field: "/fundingSource")
        let caseNumber = try Input.optionalText(draft.caseNumber, field: "/caseNumber", maxLength: 50)
        if let review = draft.reviewOn, review < draft.from {
            throw FeatureError(.invalidInput, "the review date (\(review)) is before the first day (\(draft.from))", field: "/reviewOn")
        }
        if let target = draft.targetHoursPerMonth, target < 0 || target > 744 {
            throw FeatureError(.invalidInput, "must be between 0 and 744 hours a month, not \(target)", field: "/targetHoursPerMonth")
        }
        let cooperative = try self.cooperative(draft.cooperativeId, field: "/cooperativeId", reach: reach, in: tx)
        try checkNotWoundUp(cooperative, on: draft.from, field: "/cooperativeId")
        let provider = try organisation(draft.providerId, field: "/providerId", reach: .everything, in: tx)
        try checkNotWoundUp(provider, on: draft.from, field: "/providerId")
        try checkSupervisor(draft.supervisorId, provider: provider, from: draft.from, to: draft.to, field: "/supervisorId", in: tx)
        try staff.responsible(draft.supervisorUserId, role: .supervisor, organisation: provider.id, field: "/supervisorUserId", in: tx)
        if let potID = draft.potId {
            let pot = try tx.queryFirst("SELECT cooperative_id FROM supervision.funding_pots WHERE id = \(potID)")
            guard let pot, try pot.decode("cooperative_id", as: Int.self) == cooperative.id else {
                throw FeatureError(.invalidInput, "cooperative \(cooperative.id) has no funding pot with id \(potID)", field: "/potId")
            }
        }
        if state == .active { try checkNoneInForce(cooperative: cooperative, provider: provider, field: "/providerId", in: tx) }
        let row = try tx.query(
            """
            INSERT INTO supervision.assignments AS a
                (cooperative_id, provider_id, supervisor_id, share_percent, from_date, to_date, funding_source, pot_id, review_on,
                 target_hours_per_month, state, case_number, supervisor_user_id)
            VALUES (\(cooperative.id), \(provider.id), \(draft.supervisorId), \(share), \(draft.from), \(draft.to), \(funding), \(draft.potId),
                    \(draft.reviewOn), \(draft.targetHoursPerMonth), \(state), \(caseNumber), \(draft.supervisorUserId))
            RETURNING \(Assignment.columns)
            """
        ).single()
        let assignment = try Assignment(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "assignment", id: assignment.id, action: "create", after: assignment)
        if state == .active { try started(assignment, in: tx) }
        return assignment
    }

    /// Names the supervisor user who answers for an assignment and gets its reminders, or nobody.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` at `/supervisorUserId` for a user who is not an
    ///   active supervisor of the assignment's provider; `.notFound` outside the caller's reach.
    func setResponsible(ofAssignment id: Int, _ change: AssignmentResponsible, reach: Reach, actor: Actor, in tx: Transaction) throws -> Assignment {
        let before = try assignment(id: id, reach: reach, in: tx)
        try staff.responsible(change.supervisorUserId, role: .supervisor, organisation: before.providerId, field: "/supervisorUserId", in: tx)
        let row = try tx.query(
            """
            UPDATE supervision.assignments a SET supervisor_user_id = \(change.supervisorUserId), updated_at = now()
            WHERE a.id = \(id) RETURNING \(Assignment.columns)
            """
        ).single()
        let after = try Assignment(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "assignment", id: id, action: "responsible", before: before, after: after)
        return after
    }

    /// Moves an assignment along its state machine.
    ///
    /// - Throws: ``FeatureError`` `.conflict` for a change the state machine forbids or a second
    ///   assignment in force; `.invalidInput` for an end before the start.
    func changeState(
        ofAssignment id: Int,
        _ change: AssignmentStateChange,
        today: LocalDate,
        reach: Reach,
        actor: Actor,
        in tx: Transaction
    ) throws -> Assignment {
        let before = try assignment(id: id, reach: reach, in: tx)
        guard before.state.allowedNext.contains(change.state) else {
            let allowed = before.state.allowedNext.map(\.rawValue).joined(separator: ", ")
            throw FeatureError(
                .conflict,
                "assignment \(id) is \(before.state.rawValue) and cannot become \(change.state.rawValue); it can become: \(allowed.isEmpty ? "nothing (it has ended)" : allowed)",
                field: "/state",
                wording: "assignmentStateNotAllowed"
            )
        }
        let reason = try Input.optionalText(change.reason, field: "/reason", maxLength: 1000)
        switch change.state {
        case .ended:
            return try end(before, on: change.on ?? today, reason: reason, actor: actor, in: tx)
        case .active:
            let cooperative = try registry.organisation(id: before.cooperativeId, reach: .everything, in: tx)
            let provider = try registry.organisation(id: before.providerId, reach: .everything, in: tx)
            try checkNoneInForce(cooperative: cooperative, provider: provider, field: "/state", in: tx)
            try checkSupervisor(before.supervisorId, provider: provider, from: before.from, to: before.to, field: "/state", in: tx)
        case .renewed:
            try Self.period(from: before.from, to: change.to ?? before.to, field: "/to")
            if let to = change.to, to != before.to {
                let provider = try registry.organisation(id: before.providerId, reach: .everything, in: tx)
                try checkSupervisor(before.supervisorId, provider: provider, from: before.from, to: to, field: "/to", in: tx)
            }
            if let review = change.reviewOn, review < before.from {
                throw FeatureError(.invalidInput, "the review date (\(review)) is before the first day (\(before.from))", field: "/reviewOn")
            }
        case .proposed, .underReview:
            break
        }
        let renewal = change.state == .renewed
        // The day the review was taken up, so a report for an earlier day still shows it due; a
        // renewal's new review date is due again.
        let reviewed: LocalDate? = change.state == .underReview ? (change.on ?? today) : nil
        let row = try tx.query(
            """
            UPDATE supervision.assignments a SET state = \(change.state), updated_at = now(),
                to_date = CASE WHEN \(renewal) AND \(change.to)::date IS NOT NULL THEN \(change.to)::date ELSE a.to_date END,
                review_on = CASE WHEN \(renewal) THEN \(change.reviewOn)::date ELSE a.review_on END,
                reviewed_on = CASE WHEN \(renewal) THEN NULL ELSE coalesce(\(reviewed)::date, a.reviewed_on) END
            WHERE a.id = \(id) RETURNING \(Assignment.columns)
            """
        ).single()
        let after = try Assignment(row: row)
        try tx.audit(
            actor,
            feature: Self.feature,
            entity: "assignment",
            id: id,
            action: "state.\(change.state.rawValue)",
            before: before,
            after: after
        )
        if change.state == .active { try started(after, in: tx) }
        if change.state == .renewed { try grantScope(for: after, in: tx) }
        return after
    }

    /// Ends an assignment on `day` (its last day), with a reason; shared by the state change, the
    /// handover and the reaction to a wound-up organisation.
    func end(_ assignment: Assignment, on day: LocalDate, reason: String?, actor: Actor, in tx: Transaction) throws -> Assignment {
        guard day >= assignment.from else {
            throw FeatureError(
                .invalidInput,
                "assignment \(assignment.id) began on \(assignment.from); it cannot end before that (\(day))",
                field: "/on"
            )
        }
        let row = try tx.query(
            """
            UPDATE supervision.assignments a SET state = 'ended', ended_on = \(day), end_reason = \(reason), updated_at = now(),
                to_date = CASE WHEN a.to_date IS NULL OR a.to_date > \(day) THEN \(day) ELSE a.to_date END
            WHERE a.id = \(assignment.id) RETURNING \(Assignment.columns)
            """
        ).single()
        let after = try Assignment(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "assignment", id: assignment.id, action: "state.ended", before: assignment, after: after)
        // A proposed assignment never granted anything; one that was in force stops granting.
        if assignment.state != .proposed { try grantScope(for: after, in: tx) }
        try events.publish(
            AssignmentEnded(
                assignmentId: after.id,
                cooperativeId: after.cooperativeId,
                providerId: after.providerId,
                endedOn: day,
                reason: reason
            ),
            in: tx
        )
        return after
    }

    /// What follows when an assignment comes into force: the provider's users may see the
    /// cooperative while it is in force, and the start is published.
    func started(_ assignment: Assignment, in tx: Transaction) throws {
        try grantScope(for: assignment, in: tx)
        try events.publish(
            AssignmentStarted(
                assignmentId: assignment.id,
                cooperativeId: assignment.cooperativeId,
                providerId: assignment.providerId,
                supervisorId: assignment.supervisorId,
                from: assignment.from
            ),
            in: tx
        )
    }

    /// Tells the registry about an assignment that has been in force, from its first to its last
    /// day (its end, or the last day planned): the provider's users may see the cooperative then,
    /// and its supervisor, employed by the provider, supervised it then (the registry derives the
    /// ASF criterion "no supervisor employed by a public body" from that).
    func grantScope(for assignment: Assignment, in tx: Transaction) throws {
        let last = assignment.endedOn ?? assignment.to
        try registry.grantScope(
            provider: assignment.providerId,
            organisation: assignment.cooperativeId,
            feature: Self.feature,
            source: assignment.id,
            from: assignment.from,
            to: last,
            in: tx
        )
        try registry.recordSupervisor(
            organisation: assignment.cooperativeId,
            person: assignment.supervisorId,
            employer: assignment.providerId,
            feature: Self.feature,
            source: assignment.id,
            from: assignment.from,
            to: last,
            in: tx
        )
    }

    /// Dates again the grants of the assignments that have been in force, and removes the
    /// undated ones made before grants had dates; the first look on `day` of any host does it.
    ///
    /// - Returns: How many grants were written; `nil` when the day was done already.
    func upkeepScopes(on day: LocalDate, in tx: Transaction) throws -> Int? {
        guard try tx.execute("INSERT INTO supervision.scope_upkeep_runs (run_on) VALUES (\(day)) ON CONFLICT DO NOTHING") > 0 else {
            return nil
        }
        let assignments = try tx.query(
            "SELECT \(Assignment.columns) FROM supervision.assignments a WHERE a.state <> 'proposed' ORDER BY a.id"
        ).map(Assignment.init(row:))
        for assignment in assignments { try grantScope(for: assignment, in: tx) }
        try registry.removeUndatedScopes(feature: Self.feature, in: tx)
        return assignments.count
    }

    /// The named supervisor must hold a supervisor role at the provider on every day of the
    /// assignment (the provider employs its supervisors); the refusal names the days not covered.
    /// An open-ended assignment of a provider that has been wound up runs until that day at most.
    func checkSupervisor(_ id: Int, provider: Organisation, from: LocalDate, to: LocalDate?, field: String, in tx: Transaction) throws {
        let person = try person(id, field: field, reach: .everything, in: tx)
        let roles = try registry.roles(ofPerson: person.id, inOrganisation: provider.id, reach: .everything, in: tx)
            .filter { $0.role == .supervisor }
            .map { DaySpan(first: $0.from, last: $0.to) }
        let last = to ?? (provider.state == .woundUp ? provider.woundUpOn : nil)
        let gaps = DaySpan.gaps(in: DaySpan(first: from, last: last.map { max($0, from) }), coveredBy: roles)
        guard gaps.isEmpty else {
            let days = gaps.map(\.text).joined(separator: ", ")
            throw FeatureError(
                .invalidInput,
                "person \(person.id) (\(person.name)) is not a supervisor of \(provider.name) on \(days); give them the registry role supervisor there for every day of the assignment first",
                field: field,
                wording: Wording("notSupervisor", ["person": person.name, "provider": provider.name, "days": days])
            )
        }
    }

    /// At most one assignment in force per cooperative and provider.
    func checkNoneInForce(cooperative: Organisation, provider: Organisation, field: String, in tx: Transaction) throws {
        let existing = try tx.queryFirst(
            """
            SELECT id FROM supervision.assignments
            WHERE cooperative_id = \(cooperative.id) AND provider_id = \(provider.id) AND state IN \(AssignmentState.inForceSQL)
            """
        )
        if let existing {
            let id: Int = try existing.decode("id")
            throw FeatureError(
                .conflict,
                "\(cooperative.name) already has an assignment in force with \(provider.name) (assignment \(id)); end it first",
                field: field,
                wording: Wording("alreadyAssigned", ["cooperative": cooperative.name, "provider": provider.name])
            )
        }
    }
}
