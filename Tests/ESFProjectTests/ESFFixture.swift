import DataAccess
import Foundation
import PluginKit
import Registry
import TestSupport

@testable import ESFProject
@testable import Host

/// A registry and the ESF store on a fresh database with the kernel's, the registry's and the
/// feature's migrations applied, an owner, three employers, a public body and a running
/// project 2015-10-01…2018-09-30 (1000 jobs by 2020-12-31).
struct ESFFixture {
    static let vault = try! IdentityVault(base64: "a29vcGVyYXRvci10ZXN0LWtleS0wMTIzNDU2Nzg5YWI=")
    static let actor = Actor(userID: nil, name: "test")
    static let start = LocalDate(year: 2015, month: 10, day: 1)!
    static let end = LocalDate(year: 2018, month: 9, day: 30)!
    /// Late enough for every date of the project to be in the past.
    static let today = LocalDate(year: 2019, month: 6, day: 30)!

    let store: ESFStore
    let owner: Int
    let employers: [Int]
    let publicBody: Int
    let project: Int

    var registry: Registry { store.registry }
    var database: Database { store.database }

    static func with<Result>(settings: ESFSettings = ESFSettings(), _ body: (ESFFixture) async throws -> Result) async throws -> Result {
        try await TestPostgres.withDatabase { database, _ in
            let plugin = try ESFProjectPlugin(settings: ConfigSection(path: "features.esf", value: nil))
            let registryPlugin = try RegistryPlugin(settings: ConfigSection(path: "features.registry", value: nil))
            _ = try await Migrator(database: database, logger: TestPostgres.logger).migrate([
                KernelSchema.group, registryPlugin.migrationGroup, plugin.migrationGroup,
            ])
            let registry = Registry(database: database, vault: vault, events: EventPublisher(featureID: "registry"))
            try await registry.verifyKey()
            let store = ESFStore(registry: registry, events: EventPublisher(featureID: "esf"), staff: KernelStaffDirectory(), settings: settings)
            let fixture = try await database.transaction { tx in try make(store: store, in: tx) }
            return try await body(fixture)
        }
    }

    static func make(store: ESFStore, in tx: Transaction) throws -> ESFFixture {
        func organisation(_ name: String, _ number: String?, kind: OrganisationKind) throws -> Int {
            try store.registry.createOrganisation(
                OrganisationDraft(
                    name: name,
                    organisationNumber: number,
                    legalForm: kind == .publicBody ? .municipalUnit : .economicAssociation,
                    kind: kind,
                    state: .active
                ),
                actor: actor,
                in: tx
            ).id
        }
        let owner = try organisation("Paraplyföreningen", nil, kind: .socialEconomyOrganisation)
        let employers = try [("Returbutiken", "7696154322"), ("Café Gläntan", "7696187652"), ("Örtagården", "7696210983")].map {
            try organisation($0.0, $0.1, kind: .cooperative)
        }
        let publicBody = try organisation("Kommunen", "2120001355", kind: .publicBody)
        var project = try store.createProject(draft(owner: owner), reach: .everything, actor: actor, in: tx)
        for state in [ProjectState.granted, .running] { project = try store.changeState(ofProject: project.id, to: state, actor: actor, in: tx) }
        return ESFFixture(store: store, owner: owner, employers: employers, publicBody: publicBody, project: project.id)
    }

    static func draft(owner: Int, caseNumber: String = "2015/00254") -> ProjectDraft {
        ProjectDraft(
            caseNumber: caseNumber,
            name: "1000 jobb i sociala företag",
            ownerId: owner,
            from: start,
            to: end,
            programmeArea: "2",
            euSharePercent: 50,
            jobsTarget: 1000,
            jobsTargetOn: LocalDate(year: 2020, month: 12, day: 31)!,
            participantsTarget: 200,
            participantsTargetOn: end,
            budget: [.init(category: .staff, amount: 1_000_000)]
        )
    }

    /// A valid personnummer for a birth date (serials make distinct people on one day).
    static func number(_ birth: String, serial: Int = 1) -> IdentityNumber {
        IdentityNumber(birthDate: LocalDate(birth)!, serial: serial)!
    }

    /// Registers a person with an identity number and a gender.
    func person(_ name: String, born: String, gender: Gender = .female, serial: Int = 1) async throws -> Int {
        try await write { store, tx in
            try store.registry.createPerson(
                PersonDraft(name: name, identityNumber: Self.number(born, serial: serial).formatted, gender: gender),
                today: Self.today,
                reach: .everything,
                actor: Self.actor,
                in: tx
            ).id
        }
    }

    /// A participation draft with one status at entry.
    static func entry(_ person: Int, from: String, to: String? = nil, status: EntryStatus = .unemployed) -> ParticipationDraft {
        ParticipationDraft(personId: person, from: LocalDate(from)!, to: to.map { LocalDate($0)! }, entryStatus: OneOrMore(status))
    }

    /// Runs `body` in a transaction.
    func write<Result: Sendable>(_ body: @escaping @Sendable (ESFStore, Transaction) throws -> Result) async throws -> Result {
        try await database.transaction { [store] tx in try body(store, tx) }
    }

    /// Runs `body` on a connection.
    func read<Result: Sendable>(_ body: @escaping @Sendable (ESFStore, DatabaseConnection) throws -> Result) async throws -> Result {
        try await database.withConnection { [store] db in try body(store, db) }
    }

    /// The number of rows in a table of the schema.
    func count(_ table: String) async throws -> Int {
        try await database.query("SELECT count(*) AS n FROM \(identifier: "esf").\(identifier: table)").single().decode("n")
    }
}
