import DataAccess
import PageKit
import PluginKit

extension RegistryPages {
    /// The organisation kinds a form's reference may ask for (`registry.cooperative`), besides
    /// `organisation` (any kind) and `person`.
    static let organisationKinds: [String: OrganisationKind] = [
        "cooperative": .cooperative, "provider": .socialEconomyOrganisation, "association": .association,
        "studyAssociation": .studyAssociation, "publicBody": .publicBody,
    ]

    /// People (`person`, not erased, with their masked identity number) or organisations
    /// (`organisation`, or one kind) within the viewer's reach whose name holds `text`, by name.
    func choices(
        _ kind: String,
        matching text: String?,
        including ids: [Int],
        limit: Int,
        context page: PageContext
    ) async throws
        -> [FormField.Option]
    {
        let reach = registry.reach(of: page.principal)
        let pattern = text.map(SearchText.containsPattern) ?? "%"
        if kind == "person" {
            guard page.principal.holds(RegistryPermissions.personRead) else { return [] }
            let rows = try await registry.database.withConnection { db in
                try db.query(
                    """
                    SELECT p.id, p.name, p.identity_masked FROM registry.people p
                    WHERE \(reach.allowsPerson("p.id")) AND p.erased_at IS NULL
                      AND (p.id = ANY(\(ids)) OR p.id IN (
                        SELECT q.id FROM registry.people q WHERE q.search_name LIKE \(pattern) AND q.erased_at IS NULL
                          AND \(reach.allowsPerson("q.id")) ORDER BY \(SQL.swedish("q.name")), q.id LIMIT \(limit)))
                    ORDER BY \(SQL.swedish("p.name")), p.id
                    """
                )
            }
            return try rows.map { row in
                let masked = try row.decode("identity_masked", as: String?.self)
                let name = try row.decode("name", as: String.self)
                return FormField.Option(value: String(try row.decode("id", as: Int.self)), label: masked.map { "\(name) (\($0))" } ?? name)
            }
        }
        guard kind == "organisation" || Self.organisationKinds[kind] != nil, page.principal.holds(RegistryPermissions.organisationRead)
        else { return [] }
        let only: SQL = Self.organisationKinds[kind].map { "q.kind = \($0)" } ?? "TRUE"
        let rows = try await registry.database.withConnection { db in
            try db.query(
                """
                SELECT o.id, o.name FROM registry.organisations o
                WHERE \(reach.allowsOrganisation("o.id"))
                  AND (o.id = ANY(\(ids)) OR o.id IN (
                    SELECT q.id FROM registry.organisations q WHERE q.search_name LIKE \(pattern) AND \(only)
                      AND \(reach.allowsOrganisation("q.id")) ORDER BY \(SQL.swedish("q.name")), q.id LIMIT \(limit)))
                ORDER BY \(SQL.swedish("o.name")), o.id
                """
            )
        }
        return try rows.map { FormField.Option(value: String(try $0.decode("id", as: Int.self)), label: try $0.decode("name", as: String.self)) }
    }
}
