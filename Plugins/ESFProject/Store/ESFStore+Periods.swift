import DataAccess
import FeatureSupport
import PluginKit
import Registry

/// A participation's entry periods, and the correction of one of them: the one write that
/// re-opens the submitted months an earlier period touched (rule 16).
extension ESFStore {
    /// The entry periods of participation `id`, the first first.
    ///
    /// - Throws: ``FeatureError`` `.notFound` for an unknown participation.
    func periods(ofParticipation id: Int, in executor: some SQLExecutor) throws -> [ParticipationPeriod] {
        _ = try participation(id: id, special: false, in: executor)
        return try executor.query(
            "SELECT \(ParticipationPeriod.columns) FROM esf.participation_periods e WHERE e.participation_id = \(id) ORDER BY e.from_date, e.id"
        ).map(ParticipationPeriod.init(row:))
    }

    /// The entry period `periodID` of participation `id`.
    ///
    /// - Throws: ``FeatureError`` `.notFound` when the participation has no such period.
    func period(_ periodID: Int, ofParticipation id: Int, in executor: some SQLExecutor) throws -> ParticipationPeriod {
        guard
            let row = try executor.queryFirst(
                "SELECT \(ParticipationPeriod.columns) FROM esf.participation_periods e WHERE e.id = \(periodID) AND e.participation_id = \(id)"
            )
        else { throw FeatureError.notFound("entry period", id: periodID) }
        return try ParticipationPeriod(row: row)
    }

    /// Corrects one entry period of a participation: its entry day, end and results at exit.
    /// The participation's first start, latest entry and end follow its periods; the submitted
    /// months the old or the new days fall in, and every later one, re-open (rule 16). Audited
    /// as the period's `correct` (and the participation's `periodCorrected` when its own dates
    /// or results change).
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field: an end before the entry, a
    ///   day in the future or outside the project, results without an end or measured more than
    ///   four weeks after it (rule 14); `.conflict` for a period overlapping another of the
    ///   participation's; `.notFound` for an unknown participation or period.
    func correctPeriod(
        _ correction: ParticipationPeriodCorrection,
        period periodID: Int,
        participation id: Int,
        today: LocalDate,
        actor: Actor,
        in tx: Transaction
    ) throws -> ParticipationPeriod {
        let participation = try lockedParticipation(id: id, in: tx)
        let before = try period(periodID, ofParticipation: id, in: tx)
        let project = try project(id: participation.projectId, in: tx)
        let (from, to) = (correction.from, correction.to)
        try Self.period(from: from, to: to, field: "/to")
        guard from >= project.from, from <= project.to else {
            throw FeatureError(.invalidInput, "\(from) is outside the project's period \(project.from)…\(project.to)", field: "/from")
        }
        guard from <= today else { throw FeatureError(.invalidInput, "the entry (\(from)) is in the future", field: "/from") }
        if let to {
            guard to <= project.to else {
                throw FeatureError(.invalidInput, "\(to) is after the project's end \(project.to)", field: "/to")
            }
            guard to <= today else { throw FeatureError(.invalidInput, "the end (\(to)) is in the future", field: "/to") }
        }
        let others = try periods(ofParticipation: id, in: tx).filter { $0.id != periodID }
        if let other = others.first(where: { $0.overlaps(from: from, to: to) }) {
            throw FeatureError(
                .conflict,
                "\(from)…\(to?.description ?? "") overlaps the participation's entry period \(other.from)…\(other.to?.description ?? "")",
                field: other.from > from ? "/to" : "/from"
            )
        }
        let results = correction.exitResults.flatMap { $0.isEmpty ? nil : Array(Set($0)).map(\.rawValue).sorted() }
        var recordedOn: LocalDate?
        if let results {
            guard let to else {
                throw FeatureError(.invalidInput, "results at exit (\(results.joined(separator: ", "))) need the period's end", field: "/to")
            }
            let measured = correction.exitRecordedOn ?? before.exitRecordedOn ?? today
            guard measured >= to, measured <= to.adding(days: 28), measured <= today else {
                throw FeatureError(
                    .invalidInput,
                    "results at exit are measured within four weeks of it (\(to)…\(to.adding(days: 28)), rule 14), not on \(measured)",
                    field: "/exitRecordedOn"
                )
            }
            recordedOn = measured
        }
        try tx.execute(
            """
            UPDATE esf.participation_periods SET from_date = \(from), to_date = \(to), exit_results = \(results)::text[],
                exit_recorded_on = \(recordedOn)
            WHERE id = \(periodID)
            """
        )
        let after = try period(periodID, ofParticipation: id, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "participationPeriod", id: periodID, action: "correct", before: before, after: after)
        try followPeriods(participation, actor: actor, in: tx)
        try correctMonths(
            of: participation.projectId,
            [before.from, from] + [before.to, to].compactMap { $0 },
            reason: "correction of entry period \(periodID) of participation \(id)",
            actor: actor,
            in: tx
        )
        return after
    }

    /// Sets a participation's first start (and the age on it), latest entry, end and results at
    /// exit from its periods, auditing the change as `periodCorrected`.
    private func followPeriods(_ before: Participation, actor: Actor, in tx: Transaction) throws {
        let periods = try periods(ofParticipation: before.id, in: tx)
        guard let first = periods.first, let latest = periods.last else { return }
        var age = before.ageAtEntry
        if first.from != before.from {
            let person = try registry.referencedPerson(before.personId, field: "/personId", reach: .everything, in: tx)
            age = person.age(on: first.from) ?? before.ageAtEntry
        }
        try tx.execute(
            """
            UPDATE esf.participations SET from_date = \(first.from), age_at_entry = \(age), last_entry_on = \(latest.from),
                to_date = \(latest.to), exit_results = \(latest.exitResults.map { $0.map(\.rawValue) })::text[],
                exit_recorded_on = \(latest.exitRecordedOn)
            WHERE id = \(before.id)
            """
        )
        let after = try lockedParticipation(id: before.id, in: tx)
        guard after != before else { return }
        try tx.audit(actor, feature: Self.feature, entity: "participation", id: before.id, action: "periodCorrected", before: before, after: after)
    }
}
