import DataAccess
import FeatureSupport
import Foundation
import PageKit
import PluginKit
import Registry

extension SupervisionStore {
    /// Records the outcome of a pot's re-examination (omprövning) and applies it to the pot: an
    /// extension moves its last day later and may add money and plan the next review; an end
    /// closes it on its last day (default the day decided); a grant turns what is left into a
    /// grant to the cooperative from the day decided (published as
    /// `supervision.potTurnedIntoGrant`). The pot's values before the decision are kept with it,
    /// so the pot as it stood on an earlier day can be read.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field (a day in the future or before
    ///   the pot, an extension that does not extend, a negative amount, an end after the current
    ///   one); `.conflict` for a pot already closed, or an end before money already spent.
    func decide(_ draft: PotDecisionDraft, onPot id: Int, today: LocalDate, reach: Reach, actor: Actor, in tx: Transaction) throws -> PotDecision {
        guard try tx.queryFirst("SELECT id FROM supervision.funding_pots WHERE id = \(id) FOR UPDATE") != nil else {
            throw FeatureError.notFound("funding pot", id: id)
        }
        let pot = try self.pot(id: id, today: today, reach: reach, in: tx)
        guard pot.state == .open else {
            throw FeatureError(.conflict, "pot \(id) is already closed (\(pot.state.rawValue)); a decision cannot change it", field: "/outcome")
        }
        guard draft.decidedOn <= today else {
            throw FeatureError(
                .invalidInput,
                "a decision is recorded on or after the day it is made; \(draft.decidedOn) is after today (\(today))",
                field: "/decidedOn"
            )
        }
        guard draft.decidedOn >= pot.from else {
            throw FeatureError(.invalidInput, "the pot begins on \(pot.from), after \(draft.decidedOn)", field: "/decidedOn")
        }
        if let last = try tx.queryFirst("SELECT max(decided_on) AS day FROM supervision.pot_decisions WHERE pot_id = \(id)")?.decode(
            "day",
            as: LocalDate?.self
        ),
            draft.decidedOn < last
        {
            throw FeatureError(
                .invalidInput,
                "the pot's last decision was made on \(last); a later one cannot be dated before it",
                field: "/decidedOn"
            )
        }
        let typed = try Input.optionalText(draft.caseNumber, field: "/caseNumber", maxLength: 50)
        let note = try Input.optionalText(draft.note, field: "/note", maxLength: 1000)
        var (to, added, granted, nextReview) = (pot.to, Decimal(0), Decimal(0), LocalDate?.none)
        switch draft.outcome {
        case .extend:
            guard let newTo = draft.to else { throw FeatureError(.invalidInput, "an extension needs the pot's new last day", field: "/to") }
            guard newTo > pot.to else {
                throw FeatureError(.invalidInput, "the new last day (\(newTo)) must be after the current one (\(pot.to))", field: "/to")
            }
            added = draft.amountAdded ?? 0
            guard added >= 0, added < 1_000_000_000 else {
                throw FeatureError(.invalidInput, "must be an amount of 0 or more (SEK), not \(added)", field: "/amountAdded")
            }
            if let review = draft.nextReviewOn, review <= draft.decidedOn || review > newTo {
                throw FeatureError(
                    .invalidInput,
                    "the next review (\(review)) must fall after the decision and within the pot (\(newTo))",
                    field: "/nextReviewOn"
                )
            }
            (to, nextReview) = (newTo, draft.nextReviewOn)
        case .end, .grant:
            if draft.amountAdded.map({ $0 != 0 }) == true {
                throw FeatureError(.invalidInput, "only an extension adds money", field: "/amountAdded")
            }
            if draft.nextReviewOn != nil {
                throw FeatureError(.invalidInput, "a closed pot has no further review", field: "/nextReviewOn")
            }
            to = draft.outcome == .grant ? draft.decidedOn : (draft.to ?? draft.decidedOn)
            guard to >= pot.from, to <= pot.to else {
                throw FeatureError(.invalidInput, "the last day (\(to)) must fall within the pot (\(pot.from)–\(pot.to))", field: "/to")
            }
            let spentAfter = try tx.queryFirst("SELECT max(spent_on) AS day FROM supervision.spending WHERE pot_id = \(id) AND spent_on > \(to)")?
                .decode("day", as: LocalDate?.self)
            if let spentAfter {
                throw FeatureError(.conflict, "money was spent from the pot on \(spentAfter), after the last day \(to)", field: "/to")
            }
            if draft.outcome == .grant {
                let spent: Decimal = try tx.query("SELECT coalesce(sum(amount), 0) AS spent FROM supervision.spending WHERE pot_id = \(id)").single()
                    .decode("spent")
                granted = pot.amount - spent
            }
        }
        // A decision is filed under the number typed in, else the pot's case's, else (with
        // letters) the next of the series, which the pot's case then keeps.
        var caseNumber = typed ?? pot.caseNumber
        if caseNumber == nil, let letters {
            let drawn = try letters.caseNumbers.draw(on: draft.decidedOn, for: (Self.feature, "pot", id), actor: actor, in: tx)
            try tx.execute("UPDATE supervision.funding_pots SET case_number = \(drawn) WHERE id = \(id)")
            caseNumber = drawn
        }
        let row = try tx.query(
            """
            INSERT INTO supervision.pot_decisions AS d
                (pot_id, outcome, decided_on, case_number, previous_to, new_to, amount_added, grant_amount, previous_review_on, next_review_on,
                 note, actor)
            VALUES (\(id), \(draft.outcome), \(draft.decidedOn), \(caseNumber), \(pot.to), \(to), \(added), \(granted), \(pot.reviewOn),
                    \(nextReview), \(note), \(actor.name))
            RETURNING \(PotDecision.columns)
            """
        ).single()
        let decision = try PotDecision(row: row)
        try tx.execute(
            "UPDATE supervision.funding_pots SET to_date = \(to), amount = amount + \(added), review_on = \(nextReview) WHERE id = \(id)"
        )
        try tx.audit(actor, feature: Self.feature, entity: "pot", id: id, action: "decision.\(draft.outcome.rawValue)", after: decision)
        if let letters, let caseNumber { _ = try fileLetter(decision, of: pot, caseNumber: caseNumber, letters: letters, actor: actor, in: tx) }
        if draft.outcome == .grant {
            try events.publish(
                PotTurnedIntoGrant(
                    potId: id,
                    cooperativeId: pot.cooperativeId,
                    funderId: pot.funderId,
                    amount: granted,
                    decidedOn: draft.decidedOn,
                    caseNumber: caseNumber
                ),
                in: tx
            )
        }
        return decision
    }

    /// A pot's decisions, oldest first.
    func decisions(ofPot id: Int, reach: Reach, in executor: some SQLExecutor) throws -> [PotDecision] {
        _ = try pot(id: id, today: .today(), reach: reach, in: executor)
        return try executor.query(
            "SELECT \(PotDecision.columns) FROM supervision.pot_decisions d WHERE d.pot_id = \(id) ORDER BY d.decided_on, d.id"
        ).map(PotDecision.init(row:))
    }

    /// The decisions on the pots of `cooperative`, by pot, oldest first (for its page; the
    /// caller has read the cooperative through its reach).
    func potDecisions(ofCooperative cooperative: Int, in executor: some SQLExecutor) throws -> [Int: [PotDecision]] {
        let decisions = try executor.query(
            """
            SELECT \(PotDecision.columns) FROM supervision.pot_decisions d JOIN supervision.funding_pots p ON p.id = d.pot_id
            WHERE p.cooperative_id = \(cooperative) ORDER BY d.decided_on, d.id
            """
        ).map(PotDecision.init(row:))
        return Dictionary(grouping: decisions, by: \.potId)
    }
}
