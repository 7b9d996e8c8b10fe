import DataAccess
import FeatureSupport
import Foundation
import PageKit
import PluginKit
import Registry

extension SupervisionStore {
    /// Writes the letter of a pot's re-examination and keeps it with the cooperative's case, with
    /// the day and the case number, audited: the decision (extended, ended, turned into a grant),
    /// its grounds (the decision's note, or the template's standard text) and how to appeal. Its
    /// text is kept as written, so a later change of the templates leaves it as sent.
    func fileLetter(
        _ decision: PotDecision,
        of pot: FundingPot,
        caseNumber: String,
        letters: DecisionLetters,
        actor: Actor,
        in tx: Transaction
    ) throws -> PotLetter {
        let language = letters.language
        let recipient: String = try tx.query("SELECT name FROM registry.organisations WHERE id = \(pot.cooperativeId)").single().decode("name")
        var facts = [decision.outcome.rawValue: "yes", "to": decision.to.description, "purpose": pot.purpose]
        if decision.amountAdded > 0 { facts["amountAdded"] = Kronor.text(decision.amountAdded, language) }
        facts["grantAmount"] = Kronor.text(decision.grantAmount, language)
        facts["nextReviewOn"] = decision.nextReviewOn?.description
        facts["grounds"] = decision.note
        let letter = DecisionLetter(
            kind: .potDecided,
            caseNumber: caseNumber,
            decidedOn: decision.decidedOn,
            recipient: recipient,
            subject: pot.purpose,
            facts: facts
        )
        let content = try letters.render(letter)
        let id: Int = try tx.query(
            """
            INSERT INTO supervision.decision_letters (decision_id, kind, case_number, decided_on, filename, content, written_by)
            VALUES (\(decision.id), \(letter.kind.rawValue), \(caseNumber), \(decision.decidedOn), \(letter.filename(language)), \(content),
                    \(actor.name))
            RETURNING id
            """
        ).single().decode("id")
        let filed = try PotLetter(row: try tx.query("SELECT \(PotLetter.columns) FROM \(PotLetter.from) WHERE l.id = \(id)").single())
        try tx.audit(actor, feature: Self.feature, entity: "letter", id: id, action: "write", after: filed)
        return filed
    }

    /// The letters of the decisions on `cooperative`'s pots, newest first (for its page; the
    /// caller has read the cooperative through its reach).
    func letters(ofCooperative cooperative: Int, in executor: some SQLExecutor) throws -> [PotLetter] {
        try executor.query(
            "SELECT \(PotLetter.columns) FROM \(PotLetter.from) WHERE p.cooperative_id = \(cooperative) ORDER BY l.decided_on DESC, l.id DESC"
        ).map(PotLetter.init(row:))
    }

    /// The letters of the decisions on pot `id`, oldest first, when the pot is within reach; "not
    /// found" otherwise, as for a pot that does not exist.
    func letters(ofPot id: Int, reach: Reach, in executor: some SQLExecutor) throws -> [PotLetter] {
        _ = try pot(id: id, today: .today(), reach: reach, in: executor)
        return try executor.query(
            "SELECT \(PotLetter.columns) FROM \(PotLetter.from) WHERE d.pot_id = \(id) ORDER BY l.decided_on, l.id"
        ).map(PotLetter.init(row:))
    }

    /// A letter and its text, when its cooperative is within reach; "not found" otherwise, as for
    /// a letter that does not exist.
    func letter(id: Int, reach: Reach, in executor: some SQLExecutor) throws -> (letter: PotLetter, text: String) {
        guard
            let row = try executor.queryFirst(
                "SELECT \(PotLetter.columns), l.content FROM \(PotLetter.from) WHERE l.id = \(id) AND \(reach.allowsOrganisation("p.cooperative_id"))"
            )
        else { throw FeatureError.notFound("letter", id: id) }
        return (try PotLetter(row: row), try row.decode("content"))
    }
}
