import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

extension ESFStore {
    /// The participation with `id`; the special-category attributes only when `special`.
    func participation(id: Int, special: Bool, in executor: some SQLExecutor) throws -> Participation {
        guard let row = try executor.queryFirst("SELECT \(Participation.columns) FROM esf.participations p WHERE p.id = \(id)") else {
            throw FeatureError.notFound("participation", id: id)
        }
        return try Participation(row: row, special: special)
    }

    /// A project's participations by id, optionally only those in the project on `activeOn`
    /// (in one of their entry periods that day: not between a leave and a re-entry).
    func participations(
        ofProject projectId: Int,
        activeOn: LocalDate?,
        page: PageRequest,
        special: Bool,
        in executor: some SQLExecutor
    ) throws -> Page<Participation> {
        _ = try project(id: projectId, in: executor)
        var conditions: [SQL] = ["p.project_id = \(projectId)"]
        if let activeOn {
            conditions.append(
                """
                EXISTS (SELECT 1 FROM esf.participation_periods e
                        WHERE e.participation_id = p.id AND e.from_date <= \(activeOn) AND (e.to_date IS NULL OR e.to_date >= \(activeOn)))
                """
            )
        }
        if let after = page.afterID { conditions.append("p.id > \(after)") }
        let rows = try executor.query(
            "SELECT \(Participation.columns) FROM esf.participations p WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY p.id LIMIT \(page.limit + 1)"
        )
        return page.page(try rows.map { try Participation(row: $0, special: special) }, id: \.id)
    }

    /// The one status at entry a draft gives (rule 12).
    static func entryStatus(_ given: OneOrMore<EntryStatus>?, field: String) throws(FeatureError) -> EntryStatus {
        guard let given, let first = given.values.first else {
            throw FeatureError(
                .invalidInput,
                "give the status at entry: exactly one of \(EntryStatus.allCases.map(\.rawValue).joined(separator: ", ")) (rule 12)",
                field: field
            )
        }
        guard given.values.count == 1 else {
            throw FeatureError(
                .invalidInput,
                "a participant has exactly one status at entry (rule 12), not \(given.values.count): \(given.values.map(\.rawValue).joined(separator: ", "))",
                field: field
            )
        }
        return first
    }

    /// A project that takes participants and jobs: granted, running or closing.
    func openProject(_ id: Int, in tx: Transaction) throws -> Project {
        let project = try project(id: id, in: tx)
        guard [.granted, .running, .closing].contains(project.state) else {
            throw FeatureError(
                .conflict,
                "project \(project.caseNumber) is \(project.state.rawValue): it takes participants and jobs only while granted, running or closing",
                field: "/state"
            )
        }
        return project
    }

    /// A person enters a project. A person who was in it before and left re-enters: the
    /// participation keeps its first start and counts once (rule 13).
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field; `.conflict` for an entry
    ///   overlapping the person's participation in the project.
    func enter(
        _ draft: ParticipationDraft,
        project projectId: Int,
        special: Bool,
        reach: Reach,
        actor: Actor,
        in tx: Transaction
    ) throws -> (participation: Participation, reentered: Bool) {
        let project = try openProject(projectId, in: tx)
        let person = try registry.referencedPerson(draft.personId, field: "/personId", reach: reach, in: tx)
        try Self.period(from: draft.from, to: draft.to, field: "/to")
        guard draft.from >= project.from, draft.from <= project.to else {
            throw FeatureError(.invalidInput, "\(draft.from) is outside the project's period \(project.from)…\(project.to)", field: "/from")
        }
        if draft.specialCategories != nil, !special {
            throw FeatureError(.forbidden, "only the coordinator records special-category data", field: "/specialCategories")
        }
        if let existing = try tx.queryFirst(
            "SELECT \(Participation.columns) FROM esf.participations p WHERE p.project_id = \(projectId) AND p.person_id = \(person.id) FOR UPDATE"
        ) {
            let before = try Participation(row: existing, special: true)
            guard let lastEnd = before.to else {
                throw FeatureError(
                    .conflict,
                    "\(person.name) is in the project since \(before.lastEntryOn) with no end recorded; record the end first",
                    field: "/from"
                )
            }
            guard draft.from > lastEnd else {
                throw FeatureError(
                    .conflict,
                    "the entry on \(draft.from) overlaps \(person.name)'s participation \(before.lastEntryOn)…\(lastEnd)",
                    field: "/from"
                )
            }
            if draft.entryStatus != nil { _ = try Self.entryStatus(draft.entryStatus, field: "/entryStatus") }
            _ = try reenter(before.id, from: draft.from, to: draft.to, actor: actor, in: tx)
            try correctMonths(
                of: projectId,
                [draft.from] + [draft.to].compactMap { $0 },
                reason: "re-entry of participation \(before.id)",
                actor: actor,
                in: tx
            )
            return (try participation(id: before.id, special: special, in: tx), true)
        }
        let status = try Self.entryStatus(draft.entryStatus, field: "/entryStatus")
        let age = person.age(on: draft.from)
        let categories = draft.specialCategories
        let id: Int = try tx.query(
            """
            INSERT INTO esf.participations (project_id, person_id, from_date, to_date, last_entry_on, entry_status, gender, age_at_entry,
                education_level, homeless, migrant_background, disability, other_disadvantaged)
            VALUES (\(projectId), \(person.id), \(draft.from), \(draft.to), \(draft.from), \(status), \(person.gender.rawValue), \(age),
                \(draft.educationLevel),
                \(draft.homeless), \(categories?.migrantBackground), \(categories?.disability), \(categories?.otherDisadvantaged))
            RETURNING id
            """
        ).single().decode("id")
        try addPeriod(participation: id, project: projectId, from: draft.from, to: draft.to, in: tx)
        let created = try participation(id: id, special: true, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "participation", id: id, action: "create", after: created)
        try correctMonths(of: projectId, [draft.from] + [draft.to].compactMap { $0 }, reason: "participation \(id) entered", actor: actor, in: tx)
        return (try participation(id: id, special: special, in: tx), false)
    }

    /// Records the end of a participation and what was measured within four weeks (rule 14).
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field.
    func exit(
        _ exit: ParticipationExit,
        participation id: Int,
        today: LocalDate,
        special: Bool,
        actor: Actor,
        in tx: Transaction
    ) throws -> Participation {
        let before = try lockedParticipation(id: id, in: tx)
        guard exit.on >= before.lastEntryOn else {
            throw FeatureError(.invalidInput, "the end (\(exit.on)) is before the entry on \(before.lastEntryOn)", field: "/on")
        }
        guard exit.on <= today else { throw FeatureError(.invalidInput, "the end (\(exit.on)) is in the future", field: "/on") }
        let recordedOn = exit.recordedOn ?? today
        if let results = exit.results, !results.isEmpty {
            guard recordedOn >= exit.on, recordedOn <= exit.on.adding(days: 28), recordedOn <= today else {
                throw FeatureError(
                    .invalidInput,
                    "results at exit are measured within four weeks of it (\(exit.on)…\(exit.on.adding(days: 28)), rule 14), not on \(recordedOn)",
                    field: "/recordedOn"
                )
            }
        }
        let results = exit.results.map { Array(Set($0)).map(\.rawValue).sorted() }
        try tx.execute(
            """
            UPDATE esf.participations SET to_date = \(exit.on), exit_results = \(results)::text[],
                exit_recorded_on = \(results == nil ? nil : recordedOn)
            WHERE id = \(id)
            """
        )
        // The end belongs to the latest entry; earlier periods keep theirs.
        try tx.execute(
            """
            UPDATE esf.participation_periods SET to_date = \(exit.on), exit_results = \(results)::text[],
                exit_recorded_on = \(results == nil ? nil : recordedOn)
            WHERE participation_id = \(id) AND from_date = \(before.lastEntryOn)
            """
        )
        let after = try participation(id: id, special: true, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "participation", id: id, action: "exit", before: before, after: after)
        try correctMonths(of: before.projectId, [exit.on] + [before.to].compactMap { $0 }, reason: "participation \(id) ended", actor: actor, in: tx)
        return try participation(id: id, special: special, in: tx)
    }

    /// Records the results six months after the exit (rule 14).
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` for a participation without an end, or results
    ///   recorded before six months have passed.
    func recordSixMonths(
        _ followUp: SixMonthFollowUp,
        participation id: Int,
        today: LocalDate,
        special: Bool,
        actor: Actor,
        in tx: Transaction
    ) throws -> Participation {
        let before = try lockedParticipation(id: id, in: tx)
        guard let end = before.to else {
            throw FeatureError(.invalidInput, "participation \(id) has no end yet; six-month results come six months after it", field: "/recordedOn")
        }
        let recordedOn = followUp.recordedOn ?? today
        let earliest = Self.sixMonthsAfter(end)
        guard recordedOn >= earliest else {
            throw FeatureError(
                .invalidInput,
                "six months have not passed since the end on \(end): six-month results are recorded from \(earliest) (rule 14)",
                field: "/recordedOn"
            )
        }
        guard recordedOn <= today else { throw FeatureError(.invalidInput, "\(recordedOn) is in the future", field: "/recordedOn") }
        try tx.execute(
            """
            UPDATE esf.participations SET six_month_results = \(Array(Set(followUp.results)).map(\.rawValue).sorted())::text[],
                six_month_recorded_on = \(recordedOn)
            WHERE id = \(id)
            """
        )
        let after = try participation(id: id, special: true, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "participation", id: id, action: "sixMonthResults", before: before, after: after)
        return try participation(id: id, special: special, in: tx)
    }

    /// The participation with `id`, locked for the rest of the transaction, every field read.
    func lockedParticipation(id: Int, in tx: Transaction) throws -> Participation {
        guard let row = try tx.queryFirst("SELECT \(Participation.columns) FROM esf.participations p WHERE p.id = \(id) FOR UPDATE") else {
            throw FeatureError.notFound("participation", id: id)
        }
        return try Participation(row: row, special: true)
    }

    /// A person who left comes back (rule 13): the first start stays, the entry counts once,
    /// and the results wait for the new exit. Audited as `reenter`.
    func reenter(_ id: Int, from: LocalDate, to: LocalDate?, actor: Actor, in tx: Transaction) throws -> Participation {
        let before = try lockedParticipation(id: id, in: tx)
        try tx.execute(
            """
            UPDATE esf.participations SET to_date = \(to), last_entry_on = \(from), entries = entries + 1,
                exit_results = NULL, exit_recorded_on = NULL, six_month_results = NULL, six_month_recorded_on = NULL
            WHERE id = \(id)
            """
        )
        try addPeriod(participation: id, project: before.projectId, from: from, to: to, in: tx)
        let after = try participation(id: id, special: true, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "participation", id: id, action: "reenter", before: before, after: after)
        return after
    }

    /// Records one entry as a period of its own: the months already reported keep the earlier
    /// periods as they were (rule 16).
    func addPeriod(participation id: Int, project projectId: Int, from: LocalDate, to: LocalDate?, in tx: Transaction) throws {
        try tx.execute(
            "INSERT INTO esf.participation_periods (participation_id, project_id, from_date, to_date) VALUES (\(id), \(projectId), \(from), \(to))"
        )
    }

    /// The same day six calendar months later (the month's last day when it has no such day).
    static func sixMonthsAfter(_ day: LocalDate) -> LocalDate { day.adding(months: 6) }
}

extension Participation: Auditable {
    /// Special-category attributes appear only as "recorded", never with their value.
    var auditFields: [String: JSONValue] {
        [
            "projectId": .int(projectId), "personId": .int(personId), "from": JSONValue(describing: from), "to": JSONValue(describing: to),
            "lastEntryOn": JSONValue(describing: lastEntryOn), "entries": .int(entries), "entryStatus": .string(entryStatus.rawValue),
            "gender": .string(gender), "ageAtEntry": JSONValue(ageAtEntry), "educationLevel": JSONValue(educationLevel?.rawValue),
            "homeless": JSONValue(homeless),
            "specialCategories": specialCategories.map { _ in "recorded" } ?? .null,
            "exitResults": JSONValue(exitResults.map { $0.map(\.rawValue).joined(separator: ",") }),
            "sixMonthResults": JSONValue(sixMonthResults.map { $0.map(\.rawValue).joined(separator: ",") }),
        ]
    }
}
