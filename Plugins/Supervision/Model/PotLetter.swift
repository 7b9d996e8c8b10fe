import DataAccess
import Foundation
import PageKit
import PluginKit

/// The letter of a pot's re-examination, kept with the cooperative's case: what was decided, on
/// which day, under which case number, and the page that shows it. Its text (the whole
/// print-ready page) is read apart. The API's `PotLetter` schema (`GET /pots/{id}/letters`).
struct PotLetter: Sendable, Hashable, Codable {
    let id: Int
    var decisionId: Int
    var potId: Int
    var cooperativeId: Int
    /// What the pot's purpose is, the letter's subject.
    var purpose: String
    var outcome: PotDecision.Outcome
    var caseNumber: String
    var decidedOn: LocalDate
    var filename: String
    /// Who recorded the decision.
    var writtenBy: String
    var createdAt: Date
    /// The page that shows the letter to read and print.
    var link: String
}

extension PotLetter: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "decisionId": .int(decisionId), "potId": .int(potId), "kind": .string(DecisionLetter.Kind.potDecided.rawValue),
            "caseNumber": .string(caseNumber),
            "decidedOn": JSONValue(describing: decidedOn), "filename": .string(filename),
        ]
    }
}

extension PotLetter {
    /// The columns `PotLetter(row:)` reads, from the aliases `l` (the letter), `d` (its decision)
    /// and `p` (the pot).
    static let columns: SQL = """
        l.id, l.decision_id, d.pot_id, p.cooperative_id, p.purpose, d.outcome, l.case_number, l.decided_on, l.filename,
        l.written_by, l.created_at
        """

    /// The letters joined to their decisions and pots, for a `WHERE` to follow.
    static let from: SQL = """
        supervision.decision_letters l JOIN supervision.pot_decisions d ON d.id = l.decision_id
        JOIN supervision.funding_pots p ON p.id = d.pot_id
        """

    /// The page of letter `id`: `/supervision/letters/{id}`.
    static func link(_ id: Int) -> String { "/supervision/letters/\(id)" }

    init(row: Row) throws {
        self.init(
            id: try row.decode("id"),
            decisionId: try row.decode("decision_id"),
            potId: try row.decode("pot_id"),
            cooperativeId: try row.decode("cooperative_id"),
            purpose: try row.decode("purpose"),
            outcome: try row.decode("outcome"),
            caseNumber: try row.decode("case_number"),
            decidedOn: try row.decode("decided_on"),
            filename: try row.decode("filename"),
            writtenBy: try row.decode("written_by"),
            createdAt: try row.decode("created_at"),
            link: try Self.link(row.decode("id"))
        )
    }
}
