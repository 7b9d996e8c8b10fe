import DataAccess
import Foundation
import PluginKit

/// The outcome of a pot's re-examination (omprövning), decided on a day under a case number:
/// the pot is extended (a new last day, money added), ended, or what is left of it turned into a
/// grant to the cooperative.
struct PotDecision: Sendable, Hashable, Codable {
    enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        case extend
        case end
        case grant
    }

    let id: Int
    var potId: Int
    /// The pot's cooperative.
    var cooperativeId: Int
    var outcome: Outcome
    var decidedOn: LocalDate
    /// The diarienummer of the decision.
    var caseNumber: String?
    /// The pot's last day before the decision.
    var previousTo: LocalDate
    /// Its last day after it: the new end of an extension, the last day of an end or a grant.
    var to: LocalDate
    /// Money added by an extension (0 otherwise).
    var amountAdded: Decimal
    /// What was left and became a grant (0 unless the outcome is `grant`).
    var grantAmount: Decimal
    /// The next re-examination after an extension, if one is planned.
    var nextReviewOn: LocalDate?
    var note: String?
    var createdAt: Date
}

/// A decision to record (`POST pots/{id}/decisions`).
struct PotDecisionDraft: Sendable, Hashable, Codable {
    var outcome: PotDecision.Outcome
    var decidedOn: LocalDate
    var caseNumber: String?
    /// `extend`: the new last day (required); `end`: the last day (default the day decided).
    var to: LocalDate?
    /// `extend`: money added (default 0).
    var amountAdded: Decimal?
    /// `extend`: the next re-examination, if one is planned.
    var nextReviewOn: LocalDate?
    var note: String?
}

extension PotDecision: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "potId": .int(potId), "outcome": .string(outcome.rawValue), "decidedOn": JSONValue(describing: decidedOn),
            "caseNumber": JSONValue(caseNumber), "previousTo": JSONValue(describing: previousTo), "to": JSONValue(describing: to),
            "amountAdded": JSONValue(describing: amountAdded), "grantAmount": JSONValue(describing: grantAmount),
            "nextReviewOn": JSONValue(describing: nextReviewOn), "note": JSONValue(note),
        ]
    }
}

extension PotDecision {
    /// The columns `PotDecision(row:)` reads, from the alias `d`.
    static let columns: SQL = """
        d.id, d.pot_id, (SELECT p.cooperative_id FROM supervision.funding_pots p WHERE p.id = d.pot_id) AS cooperative_id, d.outcome, d.decided_on, d.case_number, d.previous_to, d.new_to, d.amount_added, d.grant_amount, d.next_review_on,
        d.note, d.created_at
        """

    init(row: Row) throws {
        self.init(
            id: try row.decode("id"),
            potId: try row.decode("pot_id"),
            cooperativeId: try row.decode("cooperative_id"),
            outcome: try row.decode("outcome"),
            decidedOn: try row.decode("decided_on"),
            caseNumber: try row.decode("case_number"),
            previousTo: try row.decode("previous_to"),
            to: try row.decode("new_to"),
            amountAdded: try row.decode("amount_added"),
            grantAmount: try row.decode("grant_amount"),
            nextReviewOn: try row.decode("next_review_on"),
            note: try row.decode("note"),
            createdAt: try row.decode("created_at")
        )
    }
}

extension PotDecision.Outcome: SQLEncodable, SQLDecodable {}
