import DataAccess
import FeatureSupport
import PluginKit
import Registry

extension SupervisionStore {
    /// The goal with `id`, if its cooperative is within reach.
    func goal(id: Int, reach: Reach, in executor: some SQLExecutor) throws -> Goal {
        guard
            let row = try executor.queryFirst(
                "SELECT \(Goal.columns) FROM supervision.goals g WHERE g.id = \(id) AND \(reach.allowsOrganisation("g.cooperative_id"))"
            )
        else { throw FeatureError.notFound("goal", id: id) }
        return try Goal(row: row)
    }

    /// Goals by id, optionally of one cooperative or in one state, within reach.
    func goals(cooperativeId: Int?, state: GoalState?, page: PageRequest, reach: Reach, in executor: some SQLExecutor) throws -> Page<Goal> {
        var conditions: [SQL] = [reach.allowsOrganisation("g.cooperative_id")]
        if let cooperativeId { conditions.append("g.cooperative_id = \(cooperativeId)") }
        if let state { conditions.append("g.state = \(state)") }
        if let after = page.afterID { conditions.append("g.id > \(after)") }
        let rows = try executor.query(
            "SELECT \(Goal.columns) FROM supervision.goals g WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY g.id LIMIT \(page.limit + 1)"
        )
        return page.page(try rows.map(Goal.init(row:)), id: \.id)
    }

    /// Opens a development goal for a cooperative or one of its members.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field.
    func createGoal(_ draft: GoalDraft, today: LocalDate, reach: Reach, actor: Actor, in tx: Transaction) throws -> Goal {
        let cooperative = try cooperative(draft.cooperativeId, field: "/cooperativeId", reach: reach, in: tx)
        let title = try Input.text(draft.title, field: "/title")
        let description = try Input.optionalText(draft.description, field: "/description", maxLength: 4000)
        let opened = draft.openedOn ?? today
        if let personID = draft.personId {
            let person = try person(personID, field: "/personId", reach: reach, in: tx)
            guard try holdsRole(person.id, in: cooperative.id, kinds: RoleKind.allCases, from: opened, to: opened, in: tx) else {
                throw FeatureError(
                    .invalidInput,
                    "person \(person.id) (\(person.name)) is not a member of \(cooperative.name) on \(opened)",
                    field: "/personId"
                )
            }
        }
        let id: Int = try tx.query(
            """
            INSERT INTO supervision.goals (cooperative_id, person_id, title, description, state, opened_on)
            VALUES (\(cooperative.id), \(draft.personId), \(title), \(description), 'open', \(opened)) RETURNING id
            """
        ).single().decode("id")
        let goal = try self.goal(id: id, reach: .everything, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "goal", id: id, action: "create", after: goal)
        return goal
    }

    /// Moves a goal along open → in progress → met | dropped.
    ///
    /// - Throws: ``FeatureError`` `.conflict` for a change the state machine forbids.
    func changeState(ofGoal id: Int, _ change: GoalStateChange, today: LocalDate, reach: Reach, actor: Actor, in tx: Transaction) throws -> Goal {
        let before = try goal(id: id, reach: reach, in: tx)
        guard before.state.allowedNext.contains(change.state) else {
            let allowed = before.state.allowedNext.map(\.rawValue).joined(separator: ", ")
            throw FeatureError(
                .conflict,
                "goal \(id) is \(before.state.rawValue) and cannot become \(change.state.rawValue); it can become: \(allowed.isEmpty ? "nothing (it is closed)" : allowed)",
                field: "/state",
                wording: "goalStateNotAllowed"
            )
        }
        let closed = change.state == .met || change.state == .dropped ? (change.on ?? today) : nil
        if let closed, closed < before.openedOn {
            throw FeatureError(.invalidInput, "the goal was opened on \(before.openedOn), after \(closed)", field: "/on")
        }
        try tx.execute("UPDATE supervision.goals SET state = \(change.state), closed_on = \(closed), updated_at = now() WHERE id = \(id)")
        let after = try goal(id: id, reach: reach, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "goal", id: id, action: "state.\(change.state.rawValue)", before: before, after: after)
        return after
    }
}
