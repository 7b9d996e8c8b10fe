import DataAccess
import Foundation
import PluginKit
import TestSupport

@testable import Host
@testable import Registry
@testable import Supervision

/// The demo story on a fresh database: the registry's organisations and people, then the
/// supervision story (2008–2017 and the days up to today).
struct SupervisionDemoFixture {
    let store: SupervisionStore
    var database: Database { store.database }

    /// Runs `body` with the registry's and the supervision demo loaded.
    static func with<Result>(_ body: (SupervisionDemoFixture) async throws -> Result) async throws -> Result {
        try await TestPostgres.withDatabase { database, _ in
            let plugin = try SupervisionPlugin(settings: ConfigSection(path: "features.supervision", value: nil))
            let registryPlugin = try RegistryPlugin(settings: ConfigSection(path: "features.registry", value: nil))
            _ = try await Migrator(database: database, logger: TestPostgres.logger).migrate([
                KernelSchema.group, registryPlugin.migrationGroup, plugin.migrationGroup,
            ])
            let registry = Registry(database: database, vault: SupervisionFixture.vault, events: EventPublisher(featureID: "registry"))
            try await registry.verifyKey()
            let store = SupervisionStore(registry: registry, events: EventPublisher(featureID: "supervision"), settings: SupervisionSettings())
            try await RegistryDemo.load(into: registry)
            try await SupervisionDemo.load(into: store)
            return try await body(SupervisionDemoFixture(store: store))
        }
    }

    /// The id of the demo organisation named `name`.
    func organisation(_ name: String) async throws -> Int {
        try await database.withConnection { [store] db in try store.registry.demoOrganisationID(named: name, in: db) }
    }

    /// Runs `body` on a connection.
    func read<Result: Sendable>(_ body: @escaping @Sendable (SupervisionStore, DatabaseConnection) throws -> Result) async throws -> Result {
        try await database.withConnection { [store] db in try body(store, db) }
    }
}
