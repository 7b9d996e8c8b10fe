import DataAccess
import Foundation

/// An activity of a framework agreement's action plan: what, how, who, when, how it is
/// financed, its status and, once done, its outcome.
struct Activity: Sendable, Hashable, Codable {
    enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case planned
        case ongoing
        case done
        case dropped
    }

    var id: Int
    var agreementId: Int
    var what: String
    var how: String?
    var who: String?
    /// When, in words ("2013–2014"), and a due date for follow-up.
    var when: String?
    var dueOn: LocalDate?
    var financing: String?
    var status: Status
    var outcome: String?
}

/// A new activity.
struct ActivityDraft: Sendable, Hashable, Codable {
    var what: String
    var how: String?
    var who: String?
    var when: String?
    var dueOn: LocalDate?
    var financing: String?
    var status: Activity.Status?
    var outcome: String?
}

/// The body of `POST activities/{id}`: a new status and, optionally, the outcome.
struct ActivityUpdate: Sendable, Hashable, Codable {
    var status: Activity.Status
    var outcome: String?
}

extension Activity.Status: SQLEncodable, SQLDecodable {}

extension Activity {
    static let columns: SQL = "ac.id, ac.agreement_id, ac.what, ac.how, ac.who, ac.when_text, ac.due_on, ac.financing, ac.status, ac.outcome"

    init(row: Row) throws {
        self.init(
            id: try row.decode("id"),
            agreementId: try row.decode("agreement_id"),
            what: try row.decode("what"),
            how: try row.decode("how"),
            who: try row.decode("who"),
            when: try row.decode("when_text"),
            dueOn: try row.decode("due_on"),
            financing: try row.decode("financing"),
            status: try row.decode("status"),
            outcome: try row.decode("outcome")
        )
    }
}
