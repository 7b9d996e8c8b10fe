import DataAccess
import FeatureSupport
import PluginKit
import Registry

/// What to list of the circles.
struct CircleQuery: Sendable, Hashable {
    var studyAssociationId: Int?
    var state: CircleState?
    /// Only the circles this organisation runs (as organiser) or co-organises (as study association).
    var organiserId: Int? = nil
    /// Only the circles whose planned period touches this calendar year.
    var year: Int? = nil
}

extension CircleQuery {
    /// The conditions of `organiserId` and `year` on the circle `c`.
    var organiserAndYear: [SQL] {
        var conditions: [SQL] = []
        if let organiser = organiserId { conditions.append("(c.organiser_id = \(organiser) OR c.study_association_id = \(organiser))") }
        if let year {
            conditions.append("c.planned_start < make_date(\(year)::integer + 1, 1, 1) AND c.planned_end >= make_date(\(year)::integer, 1, 1)")
        }
        return conditions
    }
}

extension EducationStore {
    /// The circle with `id`, within reach.
    func circle(id: Int, reach: Reach, in executor: some SQLExecutor) throws -> Circle {
        guard let row = try executor.queryFirst("SELECT \(Circle.columns) FROM education.circles c WHERE c.id = \(id) AND \(Self.allows(reach))")
        else {
            throw FeatureError.notFound("circle", id: id)
        }
        return try Circle(row: row)
    }

    /// Circles by id within reach.
    func circles(matching query: CircleQuery, page: PageRequest, reach: Reach, in executor: some SQLExecutor) throws -> Page<Circle> {
        var conditions: [SQL] = [Self.allows(reach)]
        if let association = query.studyAssociationId { conditions.append("c.study_association_id = \(association)") }
        if let state = query.state { conditions.append("c.state = \(state)") }
        conditions += query.organiserAndYear
        if let after = page.afterID { conditions.append("c.id > \(after)") }
        let rows = try executor.query(
            "SELECT \(Circle.columns) FROM education.circles c WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY c.id LIMIT \(page.limit + 1)"
        )
        return page.page(try rows.map(Circle.init(row:)), id: \.id)
    }

    /// Plans a circle.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field.
    func createCircle(_ draft: CircleDraft, actor: Actor, in tx: Transaction) throws -> Circle {
        _ = try organisation(draft.studyAssociationId, kind: .studyAssociation, field: "/studyAssociationId", in: tx)
        if let organiser = draft.organiserId {
            _ = try registry.referencedOrganisation(organiser, field: "/organiserId", reach: .everything, in: tx)
        }
        // Not given: the organisation responsible for education when the circle starts, if any.
        let organiser = try draft.organiserId ?? responsibleOrganisation(on: draft.plannedStart, in: tx)
        _ = try person(draft.leaderId, field: "/leaderId", reach: .everything, in: tx)
        if let assistant = draft.assistantId { _ = try person(assistant, field: "/assistantId", reach: .everything, in: tx) }
        if let cooperative = draft.aimsCooperativeId { _ = try organisation(cooperative, kind: .cooperative, field: "/aimsCooperativeId", in: tx) }
        let subject = try Input.text(draft.subject, field: "/subject")
        let plan = try Input.optionalText(draft.studyPlan, field: "/studyPlan", maxLength: 10_000) ?? ""
        guard draft.plannedEnd >= draft.plannedStart else {
            throw FeatureError(
                .invalidInput,
                "the planned end (\(draft.plannedEnd)) is before the start (\(draft.plannedStart))",
                field: "/plannedEnd",
                wording: Wording("endBeforeStart", ["start": draft.plannedStart.description])
            )
        }
        let id: Int = try tx.query(
            """
            INSERT INTO education.circles (study_association_id, organiser_id, leader_id, assistant_id, subject, study_plan,
                                           aims_cooperative_id, planned_start, planned_end, state)
            VALUES (\(draft.studyAssociationId), \(organiser), \(draft.leaderId), \(draft.assistantId), \(subject), \(plan), \(draft.aimsCooperativeId),
                    \(draft.plannedStart), \(draft.plannedEnd), 'planned')
            RETURNING id
            """
        ).single().decode("id")
        let circle = try self.circle(id: id, reach: .everything, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "circle", id: id, action: "create", after: circle)
        return circle
    }

    /// Enrols a person in a circle that is not reported or rejected.
    ///
    /// - Throws: ``FeatureError`` `.conflict` for a reported or rejected circle or a second
    ///   enrolment; `.invalidInput` for an unknown person or the leader.
    func enrol(_ draft: EnrolmentDraft, inCircle id: Int, today: LocalDate, reach: Reach, actor: Actor, in tx: Transaction) throws -> [Int] {
        let circle = try lockedCircle(id, reach: reach, in: tx)
        guard circle.state != .reported && circle.state != .rejected else {
            throw FeatureError(
                .conflict,
                "circle \(id) is \(circle.state.rawValue); nobody can be enrolled any more",
                field: "/personId",
                wording: "enrolmentClosed"
            )
        }
        let person = try person(draft.personId, field: "/personId", reach: .everything, in: tx)
        guard person.id != circle.leaderId else {
            throw FeatureError(
                .invalidInput,
                "\(person.name) leads the circle; the leader is not enrolled",
                field: "/personId",
                wording: Wording("leaderNotEnrolled", ["name": person.name])
            )
        }
        if let year = draft.birthYear {
            guard person.birthDate == nil else {
                throw FeatureError(
                    .invalidInput,
                    "\(person.name) has an identity number; the birth year comes from it",
                    field: "/birthYear",
                    wording: Wording("birthYearKnown", ["name": person.name])
                )
            }
            guard (1900...today.year).contains(year) else {
                throw FeatureError(
                    .invalidInput,
                    "the birth year \(year) is not between 1900 and \(today.year)",
                    field: "/birthYear",
                    wording: Wording("birthYearRange", ["year": "\(year)", "max": "\(today.year)"])
                )
            }
        }
        // A person withdrawn before is enrolled again from the day given.
        let inserted = try tx.execute(
            """
            INSERT INTO education.enrolments (circle_id, person_id, enrolled_on, birth_year)
            VALUES (\(id), \(person.id), \(draft.on ?? today), \(draft.birthYear))
            ON CONFLICT (circle_id, person_id) DO UPDATE SET withdrawn_on = NULL,
                birth_year = coalesce(EXCLUDED.birth_year, education.enrolments.birth_year)
            WHERE education.enrolments.withdrawn_on IS NOT NULL
            """
        )
        guard inserted == 1 else {
            throw FeatureError(
                .conflict,
                "\(person.name) (\(person.id)) is already enrolled in circle \(id)",
                field: "/personId",
                wording: Wording("alreadyEnrolled", ["name": person.name])
            )
        }
        try tx.audit(
            actor,
            feature: Self.feature,
            entity: "circle",
            id: id,
            action: "enrol",
            after: Enrolled(personId: person.id, birthYear: draft.birthYear)
        )
        return try enrolled(inCircle: id, in: tx)
    }

    /// Ends a person's participation in a circle that still takes meetings or has not started:
    /// from the day given the person is not enrolled, and not in the attendance of later meetings;
    /// what was recorded before stays.
    ///
    /// - Throws: ``FeatureError`` `.conflict` once the circle is completed, reported or rejected;
    ///   `.invalidInput` for a person not enrolled or a day before the enrolment.
    func withdraw(_ draft: WithdrawalDraft, fromCircle id: Int, today: LocalDate, reach: Reach, actor: Actor, in tx: Transaction) throws -> [Int] {
        let circle = try lockedCircle(id, reach: reach, in: tx)
        guard circle.state == .planned || circle.state.takesMeetings else {
            throw FeatureError(
                .conflict,
                "circle \(id) is \(circle.state.rawValue); its participants are settled",
                field: "/personId",
                wording: "withdrawalClosed"
            )
        }
        let person = try person(draft.personId, field: "/personId", reach: .everything, in: tx)
        guard
            let row = try tx.queryFirst(
                "SELECT enrolled_on FROM education.enrolments WHERE circle_id = \(id) AND person_id = \(person.id) AND withdrawn_on IS NULL FOR UPDATE"
            )
        else {
            throw FeatureError(
                .invalidInput,
                "person \(person.id) is not enrolled in circle \(id)",
                field: "/personId",
                wording: Wording("notEnrolled", ["person": person.name])
            )
        }
        let (enrolledOn, on): (LocalDate, LocalDate) = (try row.decode("enrolled_on"), draft.on ?? today)
        guard on >= enrolledOn else {
            throw FeatureError(
                .invalidInput,
                "the participation ends before it began (\(enrolledOn))",
                field: "/on",
                wording: Wording("withdrawnBeforeEnrolled", ["day": enrolledOn.description])
            )
        }
        // Presence is never undone by a withdrawal: the day must come after the last meeting attended.
        if let present = try tx.queryFirst(
            """
            SELECT max(starts_at::date) AS day FROM education.attendance
            WHERE circle_id = \(id) AND person_id = \(person.id) AND present AND starts_at::date >= \(on) HAVING count(*) > 0
            """
        ) {
            let day: LocalDate = try present.decode("day")
            throw FeatureError(
                .invalidInput,
                "\(person.name) was present at a meeting on \(day); the participation can end after that day",
                field: "/on",
                wording: Wording("presentAfterWithdrawal", ["name": person.name, "day": day.description])
            )
        }
        try tx.execute("UPDATE education.enrolments SET withdrawn_on = \(on) WHERE circle_id = \(id) AND person_id = \(person.id)")
        // Later meetings' attendance no longer lists the person (absent there, never present).
        try tx.execute(
            "DELETE FROM education.attendance WHERE circle_id = \(id) AND person_id = \(person.id) AND starts_at::date >= \(on)"
        )
        try tx.audit(actor, feature: Self.feature, entity: "circle", id: id, action: "withdraw", after: Withdrawn(personId: person.id, on: on))
        return try enrolled(inCircle: id, in: tx)
    }

    /// The people enrolled in a circle and not withdrawn, by id.
    func enrolled(inCircle id: Int, in executor: some SQLExecutor) throws -> [Int] {
        try executor.query("SELECT person_id FROM education.enrolments WHERE circle_id = \(id) AND withdrawn_on IS NULL ORDER BY person_id")
            .map { try $0.decode("person_id") }
    }

    /// The people on a meeting's attendance: enrolled, and not withdrawn on or before its day.
    func attending(meeting id: Int, in executor: some SQLExecutor) throws -> [Int] {
        try executor.query(
            """
            SELECT e.person_id FROM education.enrolments e JOIN education.meetings m ON m.circle_id = e.circle_id
            WHERE m.id = \(id) AND (e.withdrawn_on IS NULL OR e.withdrawn_on > m.starts_at::date) ORDER BY e.person_id
            """
        ).map { try $0.decode("person_id") }
    }

    /// The circle, locked against concurrent changes of its state.
    func lockedCircle(_ id: Int, reach: Reach, in tx: Transaction) throws -> Circle {
        guard
            let row = try tx.queryFirst(
                "SELECT \(Circle.columns) FROM education.circles c WHERE c.id = \(id) AND \(Self.allows(reach)) FOR UPDATE OF c"
            )
        else { throw FeatureError.notFound("circle", id: id) }
        return try Circle(row: row)
    }

    /// Moves a circle along its states. `reported` needs every rule to pass, or an override
    /// reason from someone allowed to override (audited with the failing rules); `rejected`
    /// needs a reason; `completed` may record the cooperative the circle formed, which publishes
    /// `education.circleFormedCooperative` with the counted participants.
    ///
    /// - Throws: ``FeatureError`` `.conflict` for a change the state machine forbids or a failing
    ///   rule without an override; `.forbidden` for an override without the right;
    ///   `.invalidInput` naming the field.
    func changeState(
        ofCircle id: Int,
        _ change: CircleStateChange,
        mayOverride: Bool,
        today: LocalDate,
        reach: Reach,
        actor: Actor,
        in tx: Transaction
    ) throws -> Circle {
        let before = try lockedCircle(id, reach: reach, in: tx)
        guard before.state.allowedNext.contains(change.state) else {
            let allowed = before.state.allowedNext.map(\.rawValue).joined(separator: ", ")
            throw FeatureError(
                .conflict,
                "circle \(id) is \(before.state.rawValue) and cannot become \(change.state.rawValue); it can become: \(allowed.isEmpty ? "nothing" : allowed)",
                field: "/state",
                wording: "circleStateChange"
            )
        }
        var rejection: String?
        var override: String?
        var formed: String?
        switch change.state {
        case .rejected:
            guard let reason = try Input.optionalText(change.reason, field: "/reason", maxLength: 1000) else {
                throw FeatureError(.invalidInput, "say why the circle is rejected", field: "/reason", wording: "rejectionReason")
            }
            rejection = reason
        case .reported:
            let compliance = try self.compliance(ofCircle: id, reach: .everything, in: tx)
            if !compliance.passed {
                let failing = compliance.rules.filter { !$0.passed }.map(\.rule).joined(separator: ", ")
                guard let reason = try Input.optionalText(change.overrideReason, field: "/overrideReason", maxLength: 1000) else {
                    throw FeatureError(
                        .conflict,
                        "circle \(id) breaks the rules \(failing); fix them, or an officer reports it with overrideReason",
                        field: "/state",
                        wording: "rulesBroken"
                    )
                }
                guard mayOverride else {
                    throw FeatureError(.forbidden, "only an officer may report a circle that breaks a rule", field: "/overrideReason")
                }
                override = "\(reason) (rules broken: \(failing))"
            }
        case .completed:
            formed = try Input.optionalText(change.formedCooperative, field: "/formedCooperative")
            if let organisation = change.formedCooperativeId {
                let cooperative = try self.organisation(organisation, kind: .cooperative, field: "/formedCooperativeId", in: tx)
                formed = formed ?? cooperative.name
            }
        case .planned, .running:
            break
        }
        try tx.execute(
            """
            UPDATE education.circles SET state = \(change.state), updated_at = now(),
                rejection_reason = coalesce(\(rejection), rejection_reason),
                override_reason = coalesce(\(override), override_reason),
                override_by = CASE WHEN \(override)::text IS NULL THEN override_by ELSE \(actor.name) END,
                formed_cooperative = coalesce(\(formed), formed_cooperative)
            WHERE id = \(id)
            """
        )
        let after = try circle(id: id, reach: .everything, in: tx)
        let action = override == nil ? "state.\(change.state.rawValue)" : "state.reported.override"
        try tx.audit(actor, feature: Self.feature, entity: "circle", id: id, action: action, before: before, after: after)
        if let formed {
            let counted = try compliance(ofCircle: id, reach: .everything, in: tx).counted.map(\.personId)
            try events.publish(
                CircleFormedCooperative(
                    circleId: id,
                    name: formed,
                    organisationId: change.formedCooperativeId,
                    participantIds: counted,
                    on: change.on ?? today
                ),
                in: tx
            )
        }
        return after
    }
}

/// The audit view of an enrolment.
struct Enrolled: Auditable {
    let personId: Int
    var birthYear: Int? = nil
    var auditFields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["personId": .int(personId)]
        if let birthYear { fields["birthYear"] = .int(birthYear) }
        return fields
    }
}

/// The audit view of a withdrawal.
struct Withdrawn: Auditable {
    let personId: Int
    let on: LocalDate
    var auditFields: [String: JSONValue] { ["personId": .int(personId), "withdrawnOn": .string(on.description)] }
}
