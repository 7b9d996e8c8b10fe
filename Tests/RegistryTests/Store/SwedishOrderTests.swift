import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Testing

@testable import Registry

/// Names sort as a Swedish reader expects (issue 22): Å, Ä and Ö after Z, in that order, in the
/// registry's lists of people and organisations, searched or not, across pages.
@Suite("Names in Swedish order")
struct SwedishOrderTests {
    typealias F = RegistryFixture

    /// The names in Swedish alphabetical order.
    static let firstNames = ["Anna", "Zacke", "Åsa", "Ärla", "Örjan"]

    /// Registers `firstNames` with the surname `surname`, in a shuffled order, as people and as
    /// organisations.
    static func register(_ registry: Registry, surname: String = "Sorteby") async throws {
        try await registry.write { r, tx in
            for first in Self.firstNames.shuffled() {
                try person("\(first) \(surname)", r, tx)
                _ = try r.createOrganisation(F.cooperative("\(first) \(surname)", number: nil), actor: F.actor, in: tx)
            }
        }
    }

    /// Registers a person without an identity number.
    static func person(_ name: String, _ registry: Registry, _ tx: Transaction) throws {
        _ = try registry.createPerson(PersonDraft(name: name, gender: .unspecified), today: F.today, reach: .everything, actor: F.actor, in: tx)
    }

    /// The names of every page of a list, following the cursors.
    static func names<Item>(_ name: (Item) -> String, _ fetch: (PageRequest) async throws -> Page<Item>, limit: Int) async throws -> [String] {
        var names: [String] = []
        var cursor: String?
        repeat {
            let page = try await fetch(PageRequest(limit: limit, cursor: cursor))
            names += page.items.map(name)
            cursor = page.nextCursor
        } while cursor != nil
        return names
    }

    static func people(_ registry: Registry, _ query: PersonQuery, limit: Int) async throws -> [String] {
        try await names(
            \.name,
            { page in
                try await registry.read { r, db in try r.people(matching: query, page: page, reach: .everything, today: F.today, in: db) }
            },
            limit: limit
        )
    }

    static func organisations(_ registry: Registry, _ query: OrganisationQuery, limit: Int) async throws -> [String] {
        try await names(
            \.name,
            { page in
                try await registry.read { r, db in try r.organisations(matching: query, page: page, reach: .everything, in: db) }
            },
            limit: limit
        )
    }

    @Test("the test cluster sorts with PostgreSQL's ICU collation sv-SE")
    func collationIsICU() async throws {
        try await F.withRegistry { registry async throws in
            let provider = try await registry.database.query(
                "SELECT collprovider::text AS provider FROM pg_catalog.pg_collation WHERE collname = 'swedish'"
            ).single().decode("provider", as: String.self)
            #expect(provider == "i", "registry.swedish falls back to code-point order only on a server without ICU")
        }
    }

    @Test("people: Anna, Zacke, Åsa, Ärla, Örjan, listed whole, page by page and searched (short and long text)")
    func people() async throws {
        try await F.withRegistry { registry async throws in
            try await Self.register(registry)
            let expected = Self.firstNames.map { "\($0) Sorteby" }
            #expect(try await Self.people(registry, PersonQuery(), limit: 50) == expected)
            #expect(try await Self.people(registry, PersonQuery(), limit: 2) == expected, "the cursor continues in the same order")
            #expect(try await Self.people(registry, PersonQuery(text: "sorteby"), limit: 2) == expected)
            #expect(try await Self.people(registry, PersonQuery(text: "by"), limit: 3) == expected)
            // Search ignores the rings and dots ("asa" finds Åsa); the order does not.
            #expect(try await Self.people(registry, PersonQuery(text: "asa"), limit: 50) == ["Åsa Sorteby"])
        }
    }

    @Test("people: a search beyond the first window of names (the trigram path) keeps the Swedish order")
    func peopleBeyondWindow() async throws {
        try await F.withRegistry { registry async throws in
            try await registry.write { r, tx in
                for n in 0..<(Registry.searchWindow + 10) { try Self.person("Aa Fyllnad \(n)", r, tx) }
            }
            try await Self.register(registry, surname: "Sällsyntby")
            let expected = Self.firstNames.map { "\($0) Sällsyntby" }
            #expect(try await Self.people(registry, PersonQuery(text: "sallsyntby"), limit: 2) == expected)
        }
    }

    @Test("organisations: the same order, whole, page by page and searched")
    func organisations() async throws {
        try await F.withRegistry { registry async throws in
            try await Self.register(registry)
            let expected = Self.firstNames.map { "\($0) Sorteby" }
            #expect(try await Self.organisations(registry, OrganisationQuery(), limit: 50) == expected)
            #expect(try await Self.organisations(registry, OrganisationQuery(), limit: 2) == expected)
            #expect(try await Self.organisations(registry, OrganisationQuery(text: "sorteby"), limit: 4) == expected)
        }
    }

    @Test("SQL.swedish orders any name column in Swedish, for the features' lists")
    func sharedFragment() async throws {
        try await F.withRegistry { registry async throws in
            let names = try await registry.database.query(
                """
                SELECT n FROM unnest(\(["Örjan", "anna", "Ärla", "Zacke", "Åsa", "Anna"])::text[]) AS n
                ORDER BY \(SQL.swedish("n"))
                """
            ).map { try $0.decode("n", as: String.self) }
            #expect(names == ["anna", "Anna", "Zacke", "Åsa", "Ärla", "Örjan"])
        }
    }
}
