import DataAccess
import PageKit
import PluginKit

/// The registry's lists as the pages show them: any sort column, numbered pages and the number
/// of rows found (the API pages by cursor in name order instead).
extension Registry {
    /// The sort keys of the organisation list and their columns.
    static let organisationSorts: [String: SQL] = [
        "name": .swedish("o.name"), "number": "o.organisation_number", "kind": "o.kind", "state": "o.state", "updated": "o.updated_at",
    ]

    /// The sort keys of the people list and their columns.
    static let personSorts: [String: SQL] = ["name": .swedish("p.name"), "birth": "p.birth_date", "updated": "p.updated_at"]

    /// Organisations within reach whose name contains the search text (or whose organisation
    /// number it is), in the list's order, with the number found.
    func organisationList(
        _ query: ListQuery,
        kind: OrganisationKind?,
        limit: Int,
        offset: Int,
        reach: Reach,
        in db: some SQLExecutor
    ) throws
        -> (rows: [Organisation], total: Int)
    {
        var conditions: [SQL] = [reach.allowsOrganisation("o.id")]
        if let text = query.text {
            if let number = try? OrganisationNumber(parsing: text) {
                conditions.append("o.organisation_number = \(number.digits)")
            } else {
                conditions.append(SQL("o.search_name LIKE \(SearchText.containsPattern(text))").plannedForEachRun())
            }
        }
        if let kind { conditions.append("o.kind = \(kind)") }
        let rows = try db.query(
            """
            SELECT \(Organisation.columns), count(*) OVER () AS total FROM registry.organisations o
            WHERE \(SQL.joined(conditions, separator: " AND "))
            ORDER BY \(query.orderBy(Self.organisationSorts, then: "o.id")) LIMIT \(limit) OFFSET \(offset)
            """
        )
        let total = try rows.first?.decode("total", as: Int.self) ?? 0
        return (try rows.map(Organisation.init(row:)), total)
    }

    /// People within reach whose name contains the search text, in the list's order, with the
    /// number found.
    func personList(
        _ query: ListQuery,
        limit: Int,
        offset: Int,
        reach: Reach,
        today: LocalDate,
        in db: some SQLExecutor
    ) throws
        -> (rows: [Person], total: Int)
    {
        var conditions: [SQL] = [reach.allowsPerson("p.id")]
        if let text = query.text {
            // A whole identity number is refused before this (it must not travel in a URL); it is
            // looked up with the lookup form, which posts it.
            conditions.append(SQL("p.search_name LIKE \(SearchText.containsPattern(text))").plannedForEachRun())
        }
        let rows = try db.query(
            """
            SELECT \(Person.columns), count(*) OVER () AS total FROM registry.people p
            WHERE \(SQL.joined(conditions, separator: " AND "))
            ORDER BY \(query.orderBy(Self.personSorts, then: "p.id")) LIMIT \(limit) OFFSET \(offset)
            """
        )
        let total = try rows.first?.decode("total", as: Int.self) ?? 0
        return (try rows.map(Person.init(row:)), total)
    }
}

/// A role with the names of its person and organisation, for the pages.
struct RoleRow: Sendable {
    var role: PersonRole
    var personName: String
    var organisationName: String
}

extension Registry {
    /// The roles in an organisation, or of a person, within reach, with both names; current
    /// roles first, then by start.
    func roleRows(
        inOrganisation organisationID: Int? = nil,
        ofPerson personID: Int? = nil,
        reach: Reach,
        in db: some SQLExecutor
    ) throws
        -> [RoleRow]
    {
        var conditions: [SQL] = [reach.allowsOrganisation("r.organisation_id")]
        if let organisationID { conditions.append("r.organisation_id = \(organisationID)") }
        if let personID { conditions.append("r.person_id = \(personID)") }
        return try db.query(
            """
            SELECT \(PersonRole.columns), p.name AS person_name, o.name AS organisation_name
            FROM registry.roles r JOIN registry.people p ON p.id = r.person_id JOIN registry.organisations o ON o.id = r.organisation_id
            WHERE \(SQL.joined(conditions, separator: " AND "))
            ORDER BY (r.to_date IS NULL OR r.to_date >= \(LocalDate.today())) DESC, r.from_date, r.id
            """
        ).map { row in
            RoleRow(role: try PersonRole(row: row), personName: try row.decode("person_name"), organisationName: try row.decode("organisation_name"))
        }
    }
}
