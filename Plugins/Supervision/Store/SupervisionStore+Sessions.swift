import DataAccess
import FeatureSupport
import PluginKit
import Registry

/// What to list of the sessions.
struct SessionQuery: Sendable, Hashable {
    var cooperativeId: Int?
    var assignmentId: Int?
    var from: LocalDate?
    var to: LocalDate?
}

extension SupervisionStore {
    /// The session with `id`, if its cooperative is within reach.
    func session(id: Int, reach: Reach, in executor: some SQLExecutor) throws -> Session {
        guard
            let row = try executor.queryFirst(
                "SELECT \(Session.columns) FROM supervision.sessions s WHERE s.id = \(id) AND \(reach.allowsOrganisation("s.cooperative_id"))"
            )
        else { throw FeatureError.notFound("session", id: id) }
        return try Session(row: row)
    }

    /// Sessions by id within reach, optionally of one cooperative or assignment and between two days.
    func sessions(matching query: SessionQuery, page: PageRequest, reach: Reach, in executor: some SQLExecutor) throws -> Page<Session> {
        var conditions: [SQL] = [reach.allowsOrganisation("s.cooperative_id")]
        if let cooperative = query.cooperativeId { conditions.append("s.cooperative_id = \(cooperative)") }
        if let assignment = query.assignmentId { conditions.append("s.assignment_id = \(assignment)") }
        if let from = query.from { conditions.append("s.held_on >= \(from)") }
        if let to = query.to { conditions.append("s.held_on <= \(to)") }
        if let after = page.afterID { conditions.append("s.id > \(after)") }
        let rows = try executor.query(
            "SELECT \(Session.columns) FROM supervision.sessions s WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY s.id LIMIT \(page.limit + 1)"
        )
        return page.page(try rows.map(Session.init(row:)), id: \.id)
    }

    /// Records a session under an assignment in force. A supervisor (reach of a provider) writes
    /// only under its own provider's assignments. Goals the session worked on that were still
    /// open are now in progress.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field (duration, topics, an attendee
    ///   who is not a member of the cooperative, a goal of another cooperative, an action's owner
    ///   or due date); `.conflict` for an assignment that is not in force on the day;
    ///   `.forbidden` for another provider's assignment.
    func createSession(_ draft: SessionDraft, reach: Reach, actor: Actor, in tx: Transaction) throws -> Session {
        let assignment: Assignment
        do {
            assignment = try self.assignment(id: draft.assignmentId, reach: reach, in: tx)
        } catch let error as FeatureError where error.code == .notFound {
            throw FeatureError(.invalidInput, "no assignment with id \(draft.assignmentId)", field: "/assignmentId")
        }
        if case .provider(let provider, _) = reach, assignment.providerId != provider {
            throw FeatureError(
                .forbidden,
                "assignment \(assignment.id) belongs to another provider; record sessions under your own",
                field: "/assignmentId"
            )
        }
        guard assignment.state.isInForce else {
            throw FeatureError(
                .conflict,
                "assignment \(assignment.id) is \(assignment.state.rawValue); sessions need one in force",
                field: "/assignmentId",
                wording: Wording("assignmentNotInForce", ["id": "\(assignment.id)"])
            )
        }
        guard assignment.covers(draft.on) else {
            let until = assignment.to.map { " to \($0)" } ?? ""
            let days = ["from": "\(assignment.from)", "to": assignment.to.map { "\($0)" } ?? "", "day": "\(draft.on)"]
            throw FeatureError(
                .invalidInput,
                "assignment \(assignment.id) runs from \(assignment.from)\(until), not on \(draft.on)",
                field: "/on",
                wording: Wording(assignment.to == nil ? "sessionBeforeAssignment" : "sessionOutsideAssignment", days)
            )
        }
        let minutes = try Input.number(draft.minutes, field: "/minutes", in: 1...720)
        guard !draft.topics.isEmpty else { throw FeatureError(.invalidInput, "name at least one topic", field: "/topics", wording: "noTopic") }
        let topics = Array(Set(draft.topics)).sorted { $0.rawValue < $1.rawValue }
        let notes = try Input.optionalText(draft.notes, field: "/notes", maxLength: 4000)
        let cooperative = assignment.cooperativeId
        let attendees = draft.attendeeIds ?? []
        for (index, person) in attendees.enumerated() {
            guard try holdsRole(person, in: cooperative, kinds: RoleKind.allCases, from: draft.on, to: draft.on, in: tx) else {
                throw FeatureError(
                    .invalidInput,
                    "person \(person) is not a member of the cooperative on \(draft.on)",
                    field: "/attendeeIds/\(index)"
                )
            }
        }
        let actions = draft.actions ?? []
        var whats: [String] = []
        for (index, action) in actions.enumerated() {
            whats.append(try Input.text(action.what, field: "/actions/\(index)/what", maxLength: 1000))
            if let owner = action.ownerId { _ = try person(owner, field: "/actions/\(index)/ownerId", reach: reach, in: tx) }
            if let due = action.due, due < draft.on {
                throw FeatureError(.invalidInput, "the due date (\(due)) is before the session (\(draft.on))", field: "/actions/\(index)/due")
            }
        }
        let goalIDs = draft.goalIds ?? []
        for (index, goalID) in goalIDs.enumerated() {
            let goal = try tx.queryFirst("SELECT cooperative_id, state FROM supervision.goals WHERE id = \(goalID)")
            guard let goal, try goal.decode("cooperative_id", as: Int.self) == cooperative else {
                throw FeatureError(.invalidInput, "the cooperative has no goal with id \(goalID)", field: "/goalIds/\(index)")
            }
            let state: GoalState = try goal.decode("state")
            guard state == .open || state == .inProgress else {
                throw FeatureError(.invalidInput, "goal \(goalID) is \(state.rawValue); only open goals are worked on", field: "/goalIds/\(index)")
            }
        }
        let id: Int = try tx.query(
            """
            INSERT INTO supervision.sessions (assignment_id, cooperative_id, held_on, minutes, topics, notes)
            VALUES (\(assignment.id), \(cooperative), \(draft.on), \(minutes), \(JSONB(topics)), \(notes)) RETURNING id
            """
        ).single().decode("id")
        for person in Set(attendees) {
            try tx.execute("INSERT INTO supervision.session_attendees (session_id, person_id) VALUES (\(id), \(person))")
        }
        for (action, what) in zip(actions, whats) {
            try tx.execute(
                "INSERT INTO supervision.agreed_actions (session_id, what, owner_id, due_on) VALUES (\(id), \(what), \(action.ownerId), \(action.due))"
            )
        }
        for goalID in Set(goalIDs) {
            try tx.execute("INSERT INTO supervision.session_goals (session_id, goal_id) VALUES (\(id), \(goalID))")
            let opened = try tx.execute(
                "UPDATE supervision.goals SET state = 'inProgress', updated_at = now() WHERE id = \(goalID) AND state = 'open'"
            )
            if opened > 0 {
                try tx.audit(actor, feature: Self.feature, entity: "goal", id: goalID, action: "state.inProgress")
            }
        }
        let session = try self.session(id: id, reach: .everything, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "session", id: id, action: "create", after: session)
        return session
    }
}
