import DataAccess
import PageKit
import PluginKit
import Registry

/// A circle in the pages' list, with its study association's name and its meetings.
struct CircleListRow: Sendable {
    var circle: Circle
    var associationName: String
    var meetings: Int
    /// The name of the organisation running it besides the study association, if any.
    var organiserName: String? = nil
}

/// A circle with the names of the organisations and people it points at, for its page.
struct CircleNames: Sendable {
    var association: String
    var organiser: String?
    var leader: String
    var assistant: String?
    var aimsCooperative: String?
}

/// What the pages read besides the API's lists: any sort column with numbered pages, names, the
/// enrolled people by name, and the circles that may need attention.
extension EducationStore {
    /// The sort keys of the circle list and their columns.
    static let circleSorts: [String: SQL] = [
        "subject": .swedish("c.subject"), "association": .swedish("a.name"), "state": "c.state", "start": "c.planned_start",
    ]

    /// Circles within reach whose subject or study association contains the search text, in the
    /// list's order, with the number found.
    func circleList(
        _ query: ListQuery,
        filter: CircleQuery = CircleQuery(),
        limit: Int,
        offset: Int,
        reach: Reach,
        in db: some SQLExecutor
    ) throws
        -> (rows: [CircleListRow], total: Int)
    {
        var conditions: [SQL] = [Self.allows(reach)]
        if let text = query.text {
            let pattern = SearchText.containsPattern(text)
            conditions.append(SQL("(a.search_name LIKE \(pattern) OR lower(c.subject) LIKE \(pattern))").plannedForEachRun())
        }
        conditions += filter.organiserAndYear
        let rows = try db.query(
            """
            SELECT \(Circle.columns), a.name AS association_name, \(Self.organiserName),
                   (SELECT count(*) FROM education.meetings m WHERE m.circle_id = c.id) AS meeting_count, count(*) OVER () AS total
            FROM education.circles c JOIN registry.organisations a ON a.id = c.study_association_id
            WHERE \(SQL.joined(conditions, separator: " AND "))
            ORDER BY \(query.orderBy(Self.circleSorts, then: "c.id")) LIMIT \(limit) OFFSET \(offset)
            """
        )
        let total = try rows.first?.decode("total", as: Int.self) ?? 0
        let found = try rows.map { row in
            CircleListRow(
                circle: try Circle(row: row),
                associationName: try row.decode("association_name"),
                meetings: try row.decode("meeting_count"),
                organiserName: try row.decode("organiser_name")
            )
        }
        return (found, total)
    }

    /// The names a circle's page shows.
    func names(of circle: Circle, in db: some SQLExecutor) throws -> CircleNames {
        let row = try db.query(
            """
            SELECT (SELECT name FROM registry.organisations WHERE id = \(circle.studyAssociationId)) AS association,
                   (SELECT name FROM registry.organisations WHERE id = \(circle.organiserId)) AS organiser,
                   (SELECT name FROM registry.people WHERE id = \(circle.leaderId)) AS leader,
                   (SELECT name FROM registry.people WHERE id = \(circle.assistantId)) AS assistant,
                   (SELECT name FROM registry.organisations WHERE id = \(circle.aimsCooperativeId)) AS aims
            """
        ).single()
        return CircleNames(
            association: try row.decode("association"),
            organiser: try row.decode("organiser"),
            leader: try row.decode("leader"),
            assistant: try row.decode("assistant"),
            aimsCooperative: try row.decode("aims")
        )
    }

    /// The people enrolled in a circle, withdrawn ones with their day, by name (the caller
    /// checked the reach).
    func enrolledPeople(inCircle id: Int, in db: some SQLExecutor) throws -> [(id: Int, name: String, withdrawnOn: LocalDate?)] {
        try db.query(
            """
            SELECT p.id, p.name, e.withdrawn_on FROM education.enrolments e JOIN registry.people p ON p.id = e.person_id
            WHERE e.circle_id = \(id) ORDER BY \(SQL.swedish("p.name")), p.id
            """
        ).map { (try $0.decode("id"), try $0.decode("name"), try $0.decode("withdrawn_on")) }
    }

    /// The name of a circle's organiser, as the column `organiser_name`.
    static let organiserName: SQL = "(SELECT o.name FROM registry.organisations o WHERE o.id = c.organiser_id) AS organiser_name"

    /// Circles within reach whose organiser, study association, aimed-at or formed cooperative
    /// is the organisation, with their study association's name.
    func circlesOf(organisation id: Int, reach: Reach, in db: some SQLExecutor) throws -> [CircleListRow] {
        try db.query(
            """
            SELECT \(Circle.columns), a.name AS association_name, \(Self.organiserName),
                   (SELECT count(*) FROM education.meetings m WHERE m.circle_id = c.id) AS meeting_count
            FROM education.circles c JOIN registry.organisations a ON a.id = c.study_association_id
            WHERE (c.study_association_id = \(id) OR c.organiser_id = \(id) OR c.aims_cooperative_id = \(id)
                   OR c.formed_cooperative = (SELECT o.name FROM registry.organisations o WHERE o.id = \(id)))
              AND \(Self.allows(reach))
            ORDER BY c.planned_start DESC, c.id DESC
            """
        ).map { row in
            CircleListRow(
                circle: try Circle(row: row),
                associationName: try row.decode("association_name"),
                meetings: try row.decode("meeting_count"),
                organiserName: try row.decode("organiser_name")
            )
        }
    }

    /// Circles within reach that are running or completed (not yet reported), the ones ending
    /// first, at most `limit`: the ones the start page checks, each with the key of its facts
    /// for ``ComplianceCache``: its `facts_version`, and for a completed circle its participants'
    /// last change too (who counts shows on the start page only once a circle is completed).
    func openCircles(limit: Int, reach: Reach, in db: some SQLExecutor) throws -> [(row: CircleListRow, factsKey: String)] {
        try db.query(
            """
            SELECT \(Circle.columns), a.name AS association_name, 0 AS meeting_count,
                   c.facts_version || '/' || CASE WHEN c.state = 'completed' THEN
                       coalesce((SELECT max(p.updated_at) FROM education.enrolments e JOIN registry.people p ON p.id = e.person_id
                                 WHERE e.circle_id = c.id)::text, '') ELSE '' END AS facts_key
            FROM education.circles c JOIN registry.organisations a ON a.id = c.study_association_id
            WHERE c.state IN ('running', 'completed') AND \(Self.allows(reach))
            ORDER BY c.planned_end, c.id LIMIT \(limit)
            """
        ).map { row in
            let circle = CircleListRow(
                circle: try Circle(row: row),
                associationName: try row.decode("association_name"),
                meetings: try row.decode("meeting_count")
            )
            return (circle, try row.decode("facts_key"))
        }
    }
}
