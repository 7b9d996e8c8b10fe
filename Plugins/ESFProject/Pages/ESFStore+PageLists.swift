import DataAccess
import Foundation
import PageKit
import PluginKit
import Registry

/// A project as the projects list shows it: with its owner's name and the jobs recorded so far.
struct ProjectRow: Sendable {
    var project: Project
    var ownerName: String
    var jobs: Int
    /// The display name of the coordinator user who answers for it, on the project's page.
    var coordinatorName: String?
}

/// A participation as the participants list shows it: with the person's name and masked
/// identity number from the registry (never the full number).
struct ParticipantRow: Sendable {
    var participation: Participation
    var name: String
    var maskedNumber: String?
    /// The entry periods' ids and entry days, the first first (each has its correction form).
    var periods: [(id: Int, from: String)] = []
}

/// What the ESF feature knows about an organisation: the projects it owns and the jobs it gave.
struct OrganisationESF: Sendable {
    struct EmployerJobs: Sendable {
        var projectId: Int
        var projectName: String
        var jobs: Int
        var current: Int
    }

    var owned: [ProjectRow]
    var jobs: [EmployerJobs]
}

/// The ESF lists as the pages show them: any sort column, numbered pages and the number of rows
/// found (the API pages by cursor in id order instead).
extension ESFStore {
    /// The sort keys of the projects list and their columns.
    static let projectSorts: [String: SQL] = ["name": .swedish("p.name"), "caseNumber": "p.case_number", "state": "p.state", "from": "p.from_date"]

    /// The sort keys of the participants list and their columns.
    static let participantSorts: [String: SQL] = [
        "name": .swedish("g.name"), "from": "p.from_date", "to": "p.to_date", "entryStatus": "p.entry_status", "gender": "p.gender",
    ]

    /// Projects whose name or case number contains the search text, in the list's order, with
    /// the number found.
    func projectList(_ query: ListQuery, limit: Int, offset: Int, in executor: some SQLExecutor) throws -> (rows: [ProjectRow], total: Int) {
        var conditions: [SQL] = ["TRUE"]
        if let text = query.text {
            conditions.append(
                "(strpos(lower(p.case_number), lower(\(text))) > 0 OR o.search_name LIKE \(SearchText.containsPattern(text)) OR strpos(lower(p.name), lower(\(text))) > 0)"
            )
        }
        let rows = try executor.query(
            """
            SELECT \(Project.columns), o.name AS owner_name, (SELECT count(*) FROM esf.jobs j WHERE j.project_id = p.id) AS jobs,
                count(*) OVER () AS total
            FROM esf.projects p JOIN registry.organisations o ON o.id = p.owner_id
            WHERE \(SQL.joined(conditions, separator: " AND "))
            ORDER BY \(query.orderBy(Self.projectSorts, then: "p.id")) LIMIT \(limit) OFFSET \(offset)
            """
        )
        let total = try rows.first?.decode("total", as: Int.self) ?? 0
        return (try rows.map(projectRow), total)
    }

    func projectRow(_ row: Row) throws -> ProjectRow {
        ProjectRow(
            project: try Project(row: row, budget: []),
            ownerName: try row.decode("owner_name"),
            jobs: try row.decode("jobs")
        )
    }

    /// A project's participants whose name contains the search text, in the list's order, with
    /// the number found; the special-category attributes only when `special`.
    func participantList(
        ofProject projectId: Int,
        _ query: ListQuery,
        limit: Int,
        offset: Int,
        special: Bool,
        in executor: some SQLExecutor
    ) throws -> (rows: [ParticipantRow], total: Int) {
        _ = try project(id: projectId, in: executor)
        var conditions: [SQL] = ["p.project_id = \(projectId)"]
        if let text = query.text {
            conditions.append(SQL("g.search_name LIKE \(SearchText.containsPattern(text))").plannedForEachRun())
        }
        let rows = try executor.query(
            """
            SELECT \(Participation.columns), g.name, g.identity_masked, count(*) OVER () AS total,
                   (SELECT string_agg(e.id || ' ' || to_char(e.from_date, 'YYYY-MM-DD'), ',' ORDER BY e.from_date)
                    FROM esf.participation_periods e WHERE e.participation_id = p.id) AS periods
            FROM esf.participations p JOIN registry.people g ON g.id = p.person_id
            WHERE \(SQL.joined(conditions, separator: " AND "))
            ORDER BY \(query.orderBy(Self.participantSorts, then: "p.id")) LIMIT \(limit) OFFSET \(offset)
            """
        )
        let total = try rows.first?.decode("total", as: Int.self) ?? 0
        return (
            try rows.map { row in
                ParticipantRow(
                    participation: try Participation(row: row, special: special),
                    name: try row.decode("name"),
                    maskedNumber: try row.decode("identity_masked"),
                    periods: (try row.decode("periods", as: String?.self) ?? "").split(separator: ",").compactMap { period in
                        let parts = period.split(separator: " ")
                        return parts.count == 2 ? Int(parts[0]).map { ($0, String(parts[1])) } : nil
                    }
                )
            },
            total
        )
    }

    /// The projects an organisation owns and the jobs it gave as an employer, per project.
    func organisationESF(_ organisationID: Int, today: LocalDate, in executor: some SQLExecutor) throws -> OrganisationESF {
        let owned = try executor.query(
            """
            SELECT \(Project.columns), o.name AS owner_name, (SELECT count(*) FROM esf.jobs j WHERE j.project_id = p.id) AS jobs
            FROM esf.projects p JOIN registry.organisations o ON o.id = p.owner_id
            WHERE p.owner_id = \(organisationID) ORDER BY p.from_date, p.id
            """
        ).map(projectRow)
        let jobs = try executor.query(
            """
            SELECT p.id, p.name, count(*) AS jobs, count(*) FILTER (WHERE j.to_date IS NULL OR j.to_date >= \(today)) AS current
            FROM esf.jobs j JOIN esf.projects p ON p.id = j.project_id
            WHERE j.employer_id = \(organisationID) GROUP BY p.id, p.name ORDER BY \(SQL.swedish("p.name")), p.id
            """
        ).map { row in
            OrganisationESF.EmployerJobs(
                projectId: try row.decode("id"),
                projectName: try row.decode("name"),
                jobs: try row.decode("jobs"),
                current: try row.decode("current")
            )
        }
        return OrganisationESF(owned: owned, jobs: jobs)
    }
}
