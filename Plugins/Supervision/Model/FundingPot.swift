import DataAccess
import Foundation
import PluginKit

/// Money set aside for a cooperative's own supervisor: an amount from a funder for a period at
/// a share of full time, with a review date; spending is recorded against it, and its
/// re-examination decides whether it is extended, ended or turned into a grant.
struct FundingPot: Sendable, Hashable, Codable {
    /// Whether money can still be spent from it.
    enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case open
        case ended
        case turnedIntoGrant
    }

    let id: Int
    var cooperativeId: Int
    var funderId: Int?
    var purpose: String
    var amount: Decimal
    var sharePercent: Decimal
    var from: LocalDate
    var to: LocalDate
    var reviewOn: LocalDate?
    /// Open, or closed by a decision (ended, turned into a grant).
    var state: State
    /// The sum of the spending recorded.
    var spent: Decimal
    /// What was left when it was turned into a grant.
    var granted: Decimal
    /// `amount - spent - granted`.
    var remaining: Decimal
    /// Months of the period left on the day asked about, a started month counted whole.
    var remainingMonths: Int
    /// The case number (diarienummer) of the decision that set it up.
    var caseNumber: String?
    /// The caseworker user who answers for it and gets its reminders.
    var caseworkerUserId: Int?
    var createdAt: Date

    /// Months from `day` to the end of the period, a started month counted whole; 0 after it.
    static func months(from day: LocalDate, to end: LocalDate, start: LocalDate) -> Int {
        let first = max(day, start)
        guard first <= end else { return 0 }
        let whole = (end.year * 12 + end.month) - (first.year * 12 + first.month)
        return whole + (end.day >= first.day ? 1 : 0)
    }
}

extension FundingPot: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "cooperativeId": .int(cooperativeId), "funderId": JSONValue(funderId), "purpose": .string(purpose),
            "amount": JSONValue(describing: amount), "sharePercent": JSONValue(describing: sharePercent),
            "from": JSONValue(describing: from), "to": JSONValue(describing: to), "reviewOn": JSONValue(describing: reviewOn),
            "state": .string(state.rawValue), "caseNumber": JSONValue(caseNumber),
            "caseworkerUserId": JSONValue(caseworkerUserId),
        ]
    }
}

extension FundingPot {
    /// The columns `FundingPot(row:today:)` reads, from the alias `p`: the pot as it stood on
    /// `day`, with the spending and the decisions up to that day (a later decision's "before"
    /// values are what held on the day).
    static func columns(asOf day: LocalDate) -> SQL {
        let later: SQL = "FROM supervision.pot_decisions d WHERE d.pot_id = p.id AND d.decided_on > \(day)"
        let since: SQL = "FROM supervision.pot_decisions d WHERE d.pot_id = p.id AND d.decided_on <= \(day)"
        return """
            p.id, p.cooperative_id, p.funder_id, p.purpose, p.share_percent, p.from_date, p.created_at, p.case_number, p.caseworker_user_id,
            p.amount - (SELECT coalesce(sum(d.amount_added), 0) \(later)) AS amount,
            coalesce((SELECT d.previous_to \(later) ORDER BY d.decided_on, d.id LIMIT 1), p.to_date) AS to_date,
            CASE WHEN EXISTS (SELECT 1 \(later)) THEN (SELECT d.previous_review_on \(later) ORDER BY d.decided_on, d.id LIMIT 1)
                 ELSE p.review_on END AS review_on,
            coalesce((SELECT CASE d.outcome WHEN 'end' THEN 'ended' ELSE 'turnedIntoGrant' END \(since) AND d.outcome <> 'extend'
                      ORDER BY d.decided_on DESC, d.id DESC LIMIT 1), 'open') AS state,
            (SELECT coalesce(sum(d.grant_amount), 0) \(since)) AS granted,
            (SELECT coalesce(sum(s.amount), 0) FROM supervision.spending s WHERE s.pot_id = p.id AND s.spent_on <= \(day)) AS spent
            """
    }

    init(row: Row, today: LocalDate) throws {
        let amount: Decimal = try row.decode("amount")
        let spent: Decimal = try row.decode("spent")
        let granted: Decimal = try row.decode("granted")
        let from: LocalDate = try row.decode("from_date")
        let to: LocalDate = try row.decode("to_date")
        self.init(
            id: try row.decode("id"),
            cooperativeId: try row.decode("cooperative_id"),
            funderId: try row.decode("funder_id"),
            purpose: try row.decode("purpose"),
            amount: amount,
            sharePercent: try row.decode("share_percent"),
            from: from,
            to: to,
            reviewOn: try row.decode("review_on"),
            state: try row.decode("state"),
            spent: spent,
            granted: granted,
            remaining: amount - spent - granted,
            remainingMonths: Self.months(from: today, to: to, start: from),
            caseNumber: try row.decode("case_number"),
            caseworkerUserId: try row.decode("caseworker_user_id"),
            createdAt: try row.decode("created_at")
        )
    }
}

/// A new funding pot.
struct FundingPotDraft: Sendable, Hashable, Codable {
    var cooperativeId: Int
    var funderId: Int?
    var purpose: String
    var amount: Decimal
    var sharePercent: Decimal
    var from: LocalDate
    var to: LocalDate
    var reviewOn: LocalDate?
    /// The case number (diarienummer) of the decision that sets it up.
    var caseNumber: String?
    /// The caseworker user who answers for it; the officer creating it when absent.
    var caseworkerUserId: Int?
}

/// Who answers for a pot: its caseworker user, or nobody.
struct PotResponsible: Sendable, Hashable, Codable {
    var caseworkerUserId: Int?
}

/// Money spent from a pot.
struct Spending: Sendable, Hashable, Codable {
    var id: Int?
    var on: LocalDate
    var amount: Decimal
    var note: String
}

/// A pot's re-examination (`POST pots/{id}/review`).
struct PotReview: Sendable, Hashable, Codable {
    /// The next review date; absent: none planned.
    var nextReviewOn: LocalDate?
}

extension FundingPot.State: SQLDecodable {}
