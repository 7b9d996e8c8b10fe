import DataAccess
import FeatureSupport
import PluginKit
import Registry

extension EducationStore {
    /// The moves of the responsibility for education, in the order they happened; with
    /// `organisationId`, those it moved to or from.
    func responsibilityMoves(organisationId: Int? = nil, in executor: some SQLExecutor) throws -> [ResponsibilityMove] {
        let only: SQL =
            organisationId.map { "(rm.from_organisation_id = \($0) OR rm.to_organisation_id = \($0))" } ?? "TRUE"
        return try executor.query(
            "SELECT \(ResponsibilityMove.columns) FROM education.responsibility_moves rm WHERE \(only) ORDER BY rm.on_date, rm.id"
        ).map(ResponsibilityMove.init(row:))
    }

    /// The organisation responsible for education on `day`: the one the latest move up to that day went to.
    func responsibleOrganisation(on day: LocalDate, in executor: some SQLExecutor) throws -> Int? {
        try executor.queryFirst(
            "SELECT to_organisation_id FROM education.responsibility_moves WHERE on_date <= \(day) ORDER BY on_date DESC, id DESC LIMIT 1"
        )?.decode("to_organisation_id")
    }

    /// Records that the responsibility for education moved to an organisation on a day. The
    /// organisation it moved from must be the one responsible the day before (none when nobody
    /// was), so the record reads the same from both sides.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming `/toOrganisationId` or
    ///   `/fromOrganisationId` (unknown, the same, or not the one responsible then) or `/note`.
    func moveResponsibility(_ draft: ResponsibilityMoveDraft, actor: Actor, in tx: Transaction) throws -> ResponsibilityMove {
        let to = try registry.referencedOrganisation(draft.toOrganisationId, field: "/toOrganisationId", reach: .everything, in: tx)
        if let from = draft.fromOrganisationId {
            _ = try registry.referencedOrganisation(from, field: "/fromOrganisationId", reach: .everything, in: tx)
            guard from != to.id else {
                throw FeatureError(
                    .invalidInput,
                    "the responsibility moves to another organisation than it moves from",
                    field: "/toOrganisationId",
                    wording: "moveToSame"
                )
            }
        }
        let note = try Input.optionalText(draft.note, field: "/note", maxLength: 2000)
        if let latest = try responsibilityMoves(in: tx).last, latest.on >= draft.on {
            throw FeatureError(
                .invalidInput,
                "the latest move is of \(latest.on); a move is recorded after it",
                field: "/on",
                wording: Wording("moveBeforeLatest", ["day": "\(latest.on)"])
            )
        }
        let holder = try responsibleOrganisation(on: draft.on.adding(days: -1), in: tx)
        guard holder == draft.fromOrganisationId else {
            let name = try holder.map { try registry.organisation(id: $0, reach: .everything, in: tx).name }
            throw FeatureError(
                .invalidInput,
                name.map { "on \(draft.on.adding(days: -1)) the education was the responsibility of \($0) (\(holder!))" }
                    ?? "nobody was responsible for the education before \(draft.on)",
                field: "/fromOrganisationId",
                wording: name.map { Wording("moveFromOther", ["name": $0, "day": "\(draft.on.adding(days: -1))"]) }
                    ?? Wording("moveFromNobody", ["day": "\(draft.on)"])
            )
        }
        let row = try tx.query(
            """
            INSERT INTO education.responsibility_moves AS rm (from_organisation_id, to_organisation_id, on_date, note)
            VALUES (\(draft.fromOrganisationId), \(to.id), \(draft.on), \(note)) RETURNING \(ResponsibilityMove.columns)
            """
        ).single()
        let move = try ResponsibilityMove(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "responsibilityMove", id: move.id, action: "create", after: move)
        return move
    }
}
