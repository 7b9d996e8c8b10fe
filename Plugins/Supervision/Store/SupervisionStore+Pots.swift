import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

extension SupervisionStore {
    /// The pot with `id`, if its cooperative is within reach, with what is spent and left on `today`.
    func pot(id: Int, today: LocalDate, reach: Reach, in executor: some SQLExecutor) throws -> FundingPot {
        guard
            let row = try executor.queryFirst(
                "SELECT \(FundingPot.columns(asOf: today)) FROM supervision.funding_pots p WHERE p.id = \(id) AND \(reach.allowsOrganisation("p.cooperative_id"))"
            )
        else { throw FeatureError.notFound("funding pot", id: id) }
        return try FundingPot(row: row, today: today)
    }

    /// Pots by id, optionally of one cooperative or with a case number containing `caseNumber`,
    /// within reach.
    func pots(
        cooperativeId: Int?,
        caseNumber: String? = nil,
        page: PageRequest,
        today: LocalDate,
        reach: Reach,
        in executor: some SQLExecutor
    ) throws -> Page<FundingPot> {
        var conditions: [SQL] = [reach.allowsOrganisation("p.cooperative_id")]
        if let cooperativeId { conditions.append("p.cooperative_id = \(cooperativeId)") }
        if let caseNumber { conditions.append(Self.caseNumberContains(caseNumber, column: "p.case_number")) }
        if let after = page.afterID { conditions.append("p.id > \(after)") }
        let rows = try executor.query(
            "SELECT \(FundingPot.columns(asOf: today)) FROM supervision.funding_pots p WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY p.id LIMIT \(page.limit + 1)"
        )
        return page.page(try rows.map { try FundingPot(row: $0, today: today) }, id: \.id)
    }

    /// Sets money aside for a cooperative's own supervisor.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field.
    func createPot(_ draft: FundingPotDraft, today: LocalDate, reach: Reach, actor: Actor, in tx: Transaction) throws -> FundingPot {
        let cooperative = try cooperative(draft.cooperativeId, field: "/cooperativeId", reach: reach, in: tx)
        if let funder = draft.funderId { _ = try organisation(funder, field: "/funderId", reach: .everything, in: tx) }
        let purpose = try Input.text(draft.purpose, field: "/purpose", maxLength: 500)
        let caseNumber = try Input.optionalText(draft.caseNumber, field: "/caseNumber", maxLength: 50)
        let caseworker =
            try staff.responsible(draft.caseworkerUserId, role: .officer, field: "/caseworkerUserId", in: tx)
            ?? staff.caller(actor, ifRole: .officer, in: tx)
        guard draft.amount > 0, draft.amount < 1_000_000_000 else {
            throw FeatureError(.invalidInput, "must be an amount above 0 (SEK), not \(draft.amount)", field: "/amount")
        }
        let share = try Self.share(draft.sharePercent, field: "/sharePercent")
        try Self.period(from: draft.from, to: draft.to, field: "/to")
        if let review = draft.reviewOn, review < draft.from {
            throw FeatureError(.invalidInput, "the review date (\(review)) is before the first day (\(draft.from))", field: "/reviewOn")
        }
        let id: Int = try tx.query(
            """
            INSERT INTO supervision.funding_pots
                (cooperative_id, funder_id, purpose, amount, share_percent, from_date, to_date, review_on, case_number, caseworker_user_id)
            VALUES (\(cooperative.id), \(draft.funderId), \(purpose), \(draft.amount), \(share), \(draft.from), \(draft.to), \(draft.reviewOn),
                    \(caseNumber), \(caseworker))
            RETURNING id
            """
        ).single().decode("id")
        let pot = try self.pot(id: id, today: today, reach: .everything, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "pot", id: id, action: "create", after: pot)
        return pot
    }

    /// Names the caseworker who answers for a pot and gets its reminders, or nobody.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` at `/caseworkerUserId` for a user who is not an
    ///   active caseworker (`officer`); `.notFound` outside the caller's reach.
    func setResponsible(
        ofPot id: Int,
        _ change: PotResponsible,
        today: LocalDate,
        reach: Reach,
        actor: Actor,
        in tx: Transaction
    ) throws -> FundingPot {
        let before = try pot(id: id, today: today, reach: reach, in: tx)
        try staff.responsible(change.caseworkerUserId, role: .officer, field: "/caseworkerUserId", in: tx)
        try tx.execute("UPDATE supervision.funding_pots SET caseworker_user_id = \(change.caseworkerUserId) WHERE id = \(id)")
        let after = try pot(id: id, today: today, reach: .everything, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "pot", id: id, action: "responsible", before: before, after: after)
        return after
    }

    /// Records money spent from a pot; a pot is never overdrawn.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` for a bad amount, note or day; `.conflict` when
    ///   the amount is more than what is left.
    func spend(_ spending: Spending, fromPot id: Int, today: LocalDate, reach: Reach, actor: Actor, in tx: Transaction) throws -> FundingPot {
        // Lock the pot so two spendings cannot both pass the check below.
        guard try tx.queryFirst("SELECT id FROM supervision.funding_pots WHERE id = \(id) FOR UPDATE") != nil else {
            throw FeatureError.notFound("funding pot", id: id)
        }
        let before = try pot(id: id, today: today, reach: reach, in: tx)
        guard spending.amount > 0 else {
            throw FeatureError(.invalidInput, "must be an amount above 0 (SEK), not \(spending.amount)", field: "/amount")
        }
        let note = try Input.text(spending.note, field: "/note", maxLength: 500)
        guard spending.on >= before.from else {
            throw FeatureError(.invalidInput, "the pot's period begins on \(before.from), after \(spending.on)", field: "/on")
        }
        // What is left after every spending recorded, whatever its day.
        let spent: Decimal = try tx.query("SELECT coalesce(sum(amount), 0) AS spent FROM supervision.spending WHERE pot_id = \(id)").single()
            .decode("spent")
        let left = before.amount - spent - before.granted
        guard before.state == .open || spending.on <= before.to else {
            throw FeatureError(
                .conflict,
                "pot \(id) was \(before.state == .ended ? "ended" : "turned into a grant") with \(before.to) as its last day; nothing can be spent from it after that (\(spending.on))",
                field: "/on"
            )
        }
        guard spending.amount <= left else {
            throw FeatureError(.conflict, "\(spending.amount) SEK is more than the \(left) SEK left in pot \(id)", field: "/amount")
        }
        let spendingID: Int = try tx.query(
            "INSERT INTO supervision.spending (pot_id, spent_on, amount, note) VALUES (\(id), \(spending.on), \(spending.amount), \(note)) RETURNING id"
        ).single().decode("id")
        var recorded = spending
        recorded.id = spendingID
        recorded.note = note
        try tx.audit(actor, feature: Self.feature, entity: "pot", id: id, action: "spend", after: recorded)
        return try pot(id: id, today: today, reach: reach, in: tx)
    }

    /// The spending recorded against a pot, oldest first.
    func spending(ofPot id: Int, today: LocalDate, reach: Reach, in executor: some SQLExecutor) throws -> [Spending] {
        _ = try pot(id: id, today: today, reach: reach, in: executor)
        return try executor.query("SELECT id, spent_on, amount, note FROM supervision.spending WHERE pot_id = \(id) ORDER BY spent_on, id").map {
            row in
            Spending(id: try row.decode("id"), on: try row.decode("spent_on"), amount: try row.decode("amount"), note: try row.decode("note"))
        }
    }

    /// Records that a pot was re-examined: its review date moves to `next` (or goes when `nil`).
    func reviewPot(id: Int, next: LocalDate?, today: LocalDate, reach: Reach, actor: Actor, in tx: Transaction) throws -> FundingPot {
        let before = try pot(id: id, today: today, reach: reach, in: tx)
        if let next, next < before.from {
            throw FeatureError(.invalidInput, "the next review (\(next)) is before the pot's first day (\(before.from))", field: "/nextReviewOn")
        }
        try tx.execute("UPDATE supervision.funding_pots SET review_on = \(next) WHERE id = \(id)")
        let after = try pot(id: id, today: today, reach: reach, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "pot", id: id, action: "review", before: before, after: after)
        return after
    }
}

extension Spending: Auditable {
    var auditFields: [String: JSONValue] {
        ["spendingId": JSONValue(id), "on": JSONValue(describing: on), "amount": JSONValue(describing: amount), "note": .string(note)]
    }
}
