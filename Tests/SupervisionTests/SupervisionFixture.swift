import DataAccess
import Foundation
import PageKit
import PluginKit
import Registry
import TestSupport

@testable import Host
@testable import Supervision

/// A registry and the supervision store on a fresh database with the kernel's, the registry's
/// and the feature's migrations applied, plus the organisations and people most tests need.
struct SupervisionFixture {
    static let vault = try! IdentityVault(base64: "a29vcGVyYXRvci10ZXN0LWtleS0wMTIzNDU2Nzg5YWI=")
    static let actor = Actor(userID: nil, name: "test")
    static let start = LocalDate(year: 2016, month: 1, day: 1)!

    let store: SupervisionStore
    let unit: Int
    let umbrella: Int
    let cooperatives: [Int]
    /// The unit's supervisor (also the umbrella's from 2016).
    let supervisor: Int
    /// A supervisor of the umbrella association only.
    let umbrellaSupervisor: Int
    /// One cooperator per cooperative.
    let members: [Int]
    /// Someone with no role anywhere.
    let stranger: Int

    var registry: Registry { store.registry }
    var database: Database { store.database }

    static func with<Result>(
        settings: SupervisionSettings = SupervisionSettings(),
        letters: DecisionLetters? = nil,
        _ body: (SupervisionFixture) async throws -> Result
    ) async throws -> Result {
        try await withStore(settings: settings, letters: letters) { store in
            let fixture = try await store.database.transaction { tx in try make(store: store, in: tx) }
            return try await body(fixture)
        }
    }

    /// The store on a fresh database with the kernel's, the registry's and the feature's
    /// migrations applied, and nothing in it.
    static func withStore<Result>(
        settings: SupervisionSettings = SupervisionSettings(),
        letters: DecisionLetters? = nil,
        _ body: (SupervisionStore) async throws -> Result
    ) async throws -> Result {
        try await TestPostgres.withDatabase { database, _ in
            let plugin = try SupervisionPlugin(settings: ConfigSection(path: "features.supervision", value: nil))
            let registryPlugin = try RegistryPlugin(settings: ConfigSection(path: "features.registry", value: nil))
            _ = try await Migrator(database: database, logger: TestPostgres.logger).migrate([
                KernelSchema.group, registryPlugin.migrationGroup, plugin.migrationGroup,
            ])
            let registry = Registry(database: database, vault: vault, events: EventPublisher(featureID: "registry"))
            try await registry.verifyKey()
            return try await body(
                SupervisionStore(
                    registry: registry,
                    events: EventPublisher(featureID: "supervision"),
                    staff: KernelStaffDirectory(),
                    settings: settings,
                    letters: letters
                )
            )
        }
    }

    static func make(store: SupervisionStore, in tx: Transaction) throws -> SupervisionFixture {
        let registry = store.registry
        func organisation(_ name: String, kind: OrganisationKind = .cooperative) throws -> Int {
            try registry.createOrganisation(
                OrganisationDraft(name: name, legalForm: kind == .publicBody ? .municipalUnit : .economicAssociation, kind: kind, state: .active),
                actor: actor,
                in: tx
            ).id
        }
        func person(_ name: String, _ roles: [RoleAssignment]) throws -> Int {
            try registry.createPerson(PersonDraft(name: name, roles: roles), today: start, reach: .everything, actor: actor, in: tx).id
        }
        let unit = try organisation("Enheten", kind: .publicBody)
        let umbrella = try organisation("Paraplyföreningen", kind: .socialEconomyOrganisation)
        let cooperatives = try ["Returbutiken", "Café Gläntan", "Örtagården"].map { try organisation($0) }
        let old = LocalDate(year: 2001, month: 1, day: 1)!
        let supervisor = try person(
            "Örjan Åkesson",
            [
                RoleAssignment(organisationId: unit, role: .supervisor, from: old),
                RoleAssignment(organisationId: umbrella, role: .supervisor, from: start),
            ]
        )
        let umbrellaSupervisor = try person("Per Sjöström", [RoleAssignment(organisationId: umbrella, role: .supervisor, from: old)])
        let members = try cooperatives.enumerated().map { index, cooperative in
            try person("Medlem \(index)", [RoleAssignment(organisationId: cooperative, role: .cooperator, from: old)])
        }
        let stranger = try person("Utomstående", [])
        return SupervisionFixture(
            store: store,
            unit: unit,
            umbrella: umbrella,
            cooperatives: cooperatives,
            supervisor: supervisor,
            umbrellaSupervisor: umbrellaSupervisor,
            members: members,
            stranger: stranger
        )
    }

    /// A draft of an active assignment of a cooperative under the unit.
    func draft(
        _ index: Int,
        provider: Int? = nil,
        supervisor: Int? = nil,
        from: LocalDate = start,
        state: AssignmentState = .active
    ) -> AssignmentDraft {
        AssignmentDraft(
            cooperativeId: cooperatives[index],
            providerId: provider ?? unit,
            supervisorId: supervisor ?? self.supervisor,
            sharePercent: 20,
            from: from,
            fundingSource: "Kommunens anslag",
            targetHoursPerMonth: 8,
            state: state
        )
    }

    /// Runs `body` in a transaction.
    func write<Result: Sendable>(_ body: @escaping @Sendable (SupervisionStore, Transaction) throws -> Result) async throws -> Result {
        try await database.transaction { [store] tx in try body(store, tx) }
    }

    /// Runs `body` on a connection.
    func read<Result: Sendable>(_ body: @escaping @Sendable (SupervisionStore, DatabaseConnection) throws -> Result) async throws -> Result {
        try await database.withConnection { [store] db in try body(store, db) }
    }

    /// The number of rows in a table of the schema.
    func count(_ table: String) async throws -> Int {
        try await database.query("SELECT count(*) AS n FROM \(identifier: "supervision").\(identifier: table)").single().decode("n")
    }
}
