import DataAccess
import Foundation

@testable import Registry
@testable import Supervision

/// The demo story on a fresh database: the registry's organisations and people, then the
/// supervision story (2008–2017 and the days up to today).
struct SupervisionDemoFixture {
    let store: SupervisionStore
    var database: Database { store.database }

    /// Runs `body` with the registry's and the supervision demo loaded.
    static func with<Result>(_ body: (SupervisionDemoFixture) async throws -> Result) async throws -> Result {
        try await SupervisionFixture.withStore { store in
            try await RegistryDemo.load(into: store.registry)
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
