import DataAccess
import Foundation
import PageKit
import PluginKit
import Registry
import TestSupport

@testable import Host
@testable import PartnershipAgreements

/// A registry and the partnership store on a fresh database with the kernel's, the registry's
/// and the feature's migrations applied, plus the organisations most tests need.
struct PartnershipFixture {
    static let vault = try! IdentityVault(base64: "a29vcGVyYXRvci10ZXN0LWtleS0wMTIzNDU2Nzg5YWI=")
    static let actor = Actor(userID: nil, name: "test")
    static let start = LocalDate(year: 2016, month: 1, day: 1)!

    let store: PartnershipStore
    /// The municipality (a public body).
    let municipality: Int
    /// The umbrella association (idea-based).
    let umbrella: Int
    /// A cooperative (idea-based).
    let cooperative: Int
    /// Another public body.
    let agency: Int

    var registry: Registry { store.registry }
    var database: Database { store.database }

    static func with<Result>(
        settings: PartnershipSettings = PartnershipSettings(),
        letters: DecisionLetters? = nil,
        _ body: (PartnershipFixture) async throws -> Result
    ) async throws -> Result {
        try await TestPostgres.withDatabase { database, _ in
            let plugin = try PartnershipAgreementsPlugin(settings: ConfigSection(path: "features.partnerships", value: nil))
            let registryPlugin = try RegistryPlugin(settings: ConfigSection(path: "features.registry", value: nil))
            _ = try await Migrator(database: database, logger: TestPostgres.logger).migrate([
                KernelSchema.group, registryPlugin.migrationGroup, plugin.migrationGroup,
            ])
            let registry = Registry(database: database, vault: vault, events: EventPublisher(featureID: "registry"))
            try await registry.verifyKey()
            let store = PartnershipStore(
                registry: registry,
                events: EventPublisher(featureID: "partnerships"),
                staff: KernelStaffDirectory(),
                settings: settings,
                letters: letters
            )
            let fixture = try await database.transaction { tx in try make(store: store, in: tx) }
            return try await body(fixture)
        }
    }

    static func make(store: PartnershipStore, in tx: Transaction) throws -> PartnershipFixture {
        func organisation(_ name: String, _ kind: OrganisationKind) throws -> Int {
            try store.registry.createOrganisation(
                OrganisationDraft(name: name, legalForm: kind == .publicBody ? .municipalUnit : .economicAssociation, kind: kind, state: .active),
                actor: actor,
                in: tx
            ).id
        }
        return PartnershipFixture(
            store: store,
            municipality: try organisation("Kommunen", .publicBody),
            umbrella: try organisation("Paraplyföreningen", .socialEconomyOrganisation),
            cooperative: try organisation("Café Gläntan", .cooperative),
            agency: try organisation("Länsstyrelsen", .publicBody)
        )
    }

    /// A draft of an agreement of `kind` between the municipality and the umbrella association
    /// (an IOP: on the umbrella association's initiative; a grant: to the umbrella association,
    /// 100 000 applied for 2016).
    func draft(_ kind: AgreementKind = .iop, contributions: [ContributionDraft]? = nil) -> AgreementDraft {
        AgreementDraft(
            kind: kind,
            title: "Avtal",
            purpose: "Samverkan",
            partyIds: [municipality, umbrella],
            from: Self.start,
            to: LocalDate(year: 2018, month: 12, day: 31),
            reviewOn: LocalDate(year: 2017, month: 6, day: 30),
            terminationTerms: "Sex månaders uppsägning",
            initiatedById: kind == .iop ? umbrella : nil,
            grantYear: kind.isGrant ? 2016 : nil,
            appliedAmount: kind.isGrant ? 100_000 : nil,
            contributions: contributions
        )
    }

    /// Both sides' contributions for 2016.
    var bothContribute: [ContributionDraft] {
        [
            ContributionDraft(organisationId: municipality, year: 2016, form: .money, amount: 500_000),
            ContributionDraft(organisationId: umbrella, year: 2016, form: .inKind, amount: 120_000.50, description: "Lokaler och handledare"),
        ]
    }

    /// Creates an agreement.
    func create(_ draft: AgreementDraft) async throws -> Agreement {
        try await write { s, tx in try s.createAgreement(draft, reach: .everything, actor: Self.actor, in: tx) }
    }

    /// Changes an agreement's state on `day`.
    @discardableResult
    func change(_ id: Int, _ change: AgreementStateChange) async throws -> Agreement {
        try await write { s, tx in try s.changeState(ofAgreement: id, change, today: Self.start, reach: .everything, actor: Self.actor, in: tx) }
    }

    /// Runs `body` in a transaction.
    func write<Result: Sendable>(_ body: @escaping @Sendable (PartnershipStore, Transaction) throws -> Result) async throws -> Result {
        try await database.transaction { [store] tx in try body(store, tx) }
    }

    /// Runs `body` on a connection.
    func read<Result: Sendable>(_ body: @escaping @Sendable (PartnershipStore, DatabaseConnection) throws -> Result) async throws -> Result {
        try await database.withConnection { [store] db in try body(store, db) }
    }

    /// The number of rows in a table of the schema.
    func count(_ table: String) async throws -> Int {
        try await database.query("SELECT count(*) AS n FROM \(identifier: "partnerships").\(identifier: table)").single().decode("n")
    }
}
