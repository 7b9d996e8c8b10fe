import DataAccess
import FeatureSupport
import Foundation
import PageKit
import PluginKit
import Registry

/// A cooperative in the pages' list: its assignment in force (the latest, when there are
/// several), its last session.
struct CooperativeListRow: Sendable {
    var id: Int
    var name: String
    var providerName: String?
    var supervisorName: String?
    var lastSession: LocalDate?
}

/// An assignment with the names of its provider and supervisor, for the pages.
struct AssignmentRow: Sendable {
    var assignment: Assignment
    var providerName: String
    var supervisorName: String
    /// The display name of the supervisor user who answers for it, if it names one.
    var responsibleName: String?
    /// The cooperative's name (the provider's section lists cooperatives).
    var cooperativeName: String
}

/// What the pages read besides the API's lists: any sort column with numbered pages, and the
/// names of the organisations and people the records point at.
extension SupervisionStore {
    /// The sort keys of the cooperative list and their columns.
    static let cooperativeSorts: [String: SQL] = [
        "name": .swedish("o.name"), "provider": .swedish("f.provider_name"), "lastSession": "last.held_on",
    ]

    /// Cooperatives within reach that have or had an assignment, whose name, or the case number
    /// of one of its assignments or pots, contains the search text, in the list's order, with the
    /// number found.
    func cooperativeList(
        _ query: ListQuery,
        limit: Int,
        offset: Int,
        reach: Reach,
        in db: some SQLExecutor
    ) throws
        -> (rows: [CooperativeListRow], total: Int)
    {
        var conditions: [SQL] = [
            "EXISTS (SELECT 1 FROM supervision.assignments x WHERE x.cooperative_id = o.id)", reach.allowsOrganisation("o.id"),
        ]
        if let text = query.text {
            let caseNumber = (
                assignment: Self.caseNumberContains(text, column: "x.case_number"), pot: Self.caseNumberContains(text, column: "x.case_number")
            )
            conditions.append(
                SQL(
                    """
                    (o.search_name LIKE \(SearchText.containsPattern(text))
                     OR EXISTS (SELECT 1 FROM supervision.assignments x WHERE x.cooperative_id = o.id AND \(caseNumber.assignment))
                     OR EXISTS (SELECT 1 FROM supervision.funding_pots x WHERE x.cooperative_id = o.id AND \(caseNumber.pot)))
                    """
                ).plannedForEachRun()
            )
        }
        let rows = try db.query(
            """
            SELECT o.id, o.name, f.provider_name, f.supervisor_name, last.held_on AS last_session, count(*) OVER () AS total
            FROM registry.organisations o
            LEFT JOIN LATERAL (
                SELECT p.name AS provider_name, ps.name AS supervisor_name FROM supervision.assignments a
                JOIN registry.organisations p ON p.id = a.provider_id JOIN registry.people ps ON ps.id = a.supervisor_id
                WHERE a.cooperative_id = o.id AND a.state IN \(AssignmentState.inForceSQL)
                ORDER BY a.from_date DESC, a.id DESC LIMIT 1
            ) f ON true
            LEFT JOIN LATERAL (SELECT max(s.held_on) AS held_on FROM supervision.sessions s WHERE s.cooperative_id = o.id) last ON true
            WHERE \(SQL.joined(conditions, separator: " AND "))
            ORDER BY \(query.orderBy(Self.cooperativeSorts, then: "o.id")) LIMIT \(limit) OFFSET \(offset)
            """
        )
        let total = try rows.first?.decode("total", as: Int.self) ?? 0
        let found = try rows.map { row in
            CooperativeListRow(
                id: try row.decode("id"),
                name: try row.decode("name"),
                providerName: try row.decode("provider_name"),
                supervisorName: try row.decode("supervisor_name"),
                lastSession: try row.decode("last_session")
            )
        }
        return (found, total)
    }

    /// The assignments of a cooperative (`cooperative`) or of a provider (`provider`, in force
    /// only, of cooperatives within reach), newest first, with their names.
    func assignmentRows(cooperative: Int? = nil, provider: Int? = nil, reach: Reach, in db: some SQLExecutor) throws -> [AssignmentRow] {
        var conditions: [SQL] = [reach.allowsOrganisation("a.cooperative_id")]
        if let cooperative { conditions.append("a.cooperative_id = \(cooperative)") }
        if let provider { conditions.append("a.provider_id = \(provider) AND a.state IN \(AssignmentState.inForceSQL)") }
        let rows = try db.query(
            """
            SELECT \(Assignment.columns), p.name AS provider_name, ps.name AS supervisor_name, c.name AS cooperative_name
            FROM supervision.assignments a
            JOIN registry.organisations p ON p.id = a.provider_id JOIN registry.people ps ON ps.id = a.supervisor_id
            JOIN registry.organisations c ON c.id = a.cooperative_id
            WHERE \(SQL.joined(conditions, separator: " AND "))
            ORDER BY \(SQL.swedish("c.name")), c.id, a.from_date DESC, a.id DESC
            """
        ).map { row in
            AssignmentRow(
                assignment: try Assignment(row: row),
                providerName: try row.decode("provider_name"),
                supervisorName: try row.decode("supervisor_name"),
                cooperativeName: try row.decode("cooperative_name")
            )
        }
        let names = try staff.displayNames(rows.map(\.assignment.supervisorUserId), in: db)
        return rows.map { row in
            var row = row
            row.responsibleName = row.assignment.supervisorUserId.flatMap { names[$0] }
            return row
        }
    }

    /// A cooperative's latest sessions, newest first (the caller checked the reach).
    func recentSessions(ofCooperative id: Int, limit: Int = 100, in db: some SQLExecutor) throws -> [Session] {
        try db.query(
            "SELECT \(Session.columns) FROM supervision.sessions s WHERE s.cooperative_id = \(id) ORDER BY s.held_on DESC, s.id DESC LIMIT \(limit)"
        ).map(Session.init(row:))
    }

    /// A cooperative's goals, the open ones first (the caller checked the reach).
    func goals(ofCooperative id: Int, in db: some SQLExecutor) throws -> [Goal] {
        try db.query(
            """
            SELECT \(Goal.columns) FROM supervision.goals g WHERE g.cooperative_id = \(id)
            ORDER BY g.state IN ('met', 'dropped'), g.opened_on DESC, g.id DESC
            """
        ).map(Goal.init(row:))
    }

    /// The organisations a handover may name: social-economy organisations and every provider of
    /// an assignment, by name.
    func providerChoices(in db: some SQLExecutor) throws -> [(id: Int, name: String)] {
        try db.query(
            """
            SELECT o.id, o.name FROM registry.organisations o
            WHERE o.kind = 'socialEconomyOrganisation' OR EXISTS (SELECT 1 FROM supervision.assignments a WHERE a.provider_id = o.id)
            ORDER BY \(SQL.swedish("o.name")), o.id
            """
        ).map { (try $0.decode("id"), try $0.decode("name")) }
    }

    /// The names of people by id.
    func personNames(_ ids: [Int], in db: some SQLExecutor) throws -> [Int: String] {
        guard !ids.isEmpty else { return [:] }
        var names: [Int: String] = [:]
        for row in try db.query("SELECT id, name FROM registry.people WHERE id = ANY(\(Array(Set(ids))))") {
            names[try row.decode("id")] = try row.decode("name")
        }
        return names
    }
}

extension SupervisionStore {
    /// Pots within reach whose purpose holds `text` (any when `nil`; compared as names are, folded),
    /// at most `limit`, and those with `ids`, by purpose: the choices of the assignment form's pot.
    /// A municipality has pots in the hundreds, so they are folded here rather than in SQL.
    func potChoices(matching text: String?, including ids: [Int], limit: Int, reach: Reach, in db: some SQLExecutor) throws -> [FundingPot] {
        let today = LocalDate.today()
        let pots = try db.query(
            """
            SELECT \(FundingPot.columns(asOf: today)) FROM supervision.funding_pots p
            WHERE \(reach.allowsOrganisation("p.cooperative_id")) ORDER BY p.purpose, p.id LIMIT 5000
            """
        )
        .map { try FundingPot(row: $0, today: today) }
        let wanted = text.map(SearchText.fold)
        let found = pots.filter { pot in wanted.map { SearchText.fold(pot.purpose).contains($0) } ?? true }.prefix(limit)
        let chosen = pots.filter { pot in ids.contains(pot.id) && !found.contains { $0.id == pot.id } }
        return Array(found) + chosen
    }
}
