import DataAccess
import Foundation
import PluginKit
import Registry
import TestSupport

@testable import Host

/// A registry on a fresh database with the kernel's and the registry's migrations applied.
enum RegistryFixture {
    /// A fixed test key (never a real one).
    static let vault = try! IdentityVault(base64: "a29vcGVyYXRvci10ZXN0LWtleS0wMTIzNDU2Nzg5YWI=")
    static let actor = Actor(userID: nil, name: "test")
    static let today = LocalDate(year: 2026, month: 11, day: 29)!

    static func withRegistry<Result>(_ body: (Registry) async throws -> Result) async throws -> Result {
        try await TestPostgres.withDatabase { database, _ in
            let plugin = try RegistryPlugin(settings: ConfigSection(path: "features.registry", value: nil))
            _ = try await Migrator(database: database, logger: TestPostgres.logger).migrate([KernelSchema.group, plugin.migrationGroup])
            let registry = Registry(database: database, vault: vault, events: EventPublisher(featureID: "registry"))
            try await registry.verifyKey()
            return try await body(registry)
        }
    }

    static func cooperative(_ name: String = "Returbutiken Återbruk", number: String? = "769615-4322") -> OrganisationDraft {
        OrganisationDraft(name: name, organisationNumber: number, legalForm: .economicAssociation, kind: .cooperative)
    }
}

extension Registry {
    /// Runs `body` in a transaction (shorter tests).
    func write<Result: Sendable>(_ body: @escaping @Sendable (Registry, Transaction) throws -> Result) async throws -> Result {
        try await database.transaction { [self] tx in try body(self, tx) }
    }

    /// Runs `body` on a connection.
    func read<Result: Sendable>(_ body: @escaping @Sendable (Registry, DatabaseConnection) throws -> Result) async throws -> Result {
        try await database.withConnection { [self] db in try body(self, db) }
    }

    /// The number of rows in a table.
    func count(_ table: String) async throws -> Int {
        try await database.query("SELECT count(*) AS n FROM \(identifier: "registry").\(identifier: table)").single().decode("n")
    }
}
