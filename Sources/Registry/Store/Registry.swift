public import DataAccess
import Foundation
public import PluginKit

/// The shared kernel of organisations, people and their roles, with identity numbers sealed.
///
/// The host creates one registry with the identity key and hands it to every feature as
/// `context.registry`. Reads take a ``Reach`` (what the caller may see); writes take an
/// ``Actor`` and a transaction, write the audit row in it, and throw ``FeatureError`` naming
/// the field for bad input, so a feature can register a person in its own transaction.
///
/// ```swift
/// let person = try await context.database.transaction { tx in
///     try context.registry.createPerson(draft, reach: .everything, actor: actor, in: tx)
/// }
/// ```
public struct Registry: Sendable {
    /// The database the registry lives in.
    public let database: Database
    let vault: IdentityVault
    let events: EventPublisher
    /// How many days after an assignment ends its provider's users still see the cooperative
    /// (`security.reachGraceDays`, default 0).
    public let reachGraceDays: Int
    /// How many "already registered" answers about people outside a scoped user's reach the
    /// user gets in an hour (`security.identityProbesPerHour`); see ``guardingIdentityProbes(carriesNumber:reach:actor:_:)``.
    public let identityProbesPerHour: Int

    /// Creates the registry.
    ///
    /// - Parameters:
    ///   - database: The shared pool.
    ///   - vault: Seals and indexes identity numbers with the configured key.
    ///   - events: Publishes `registry.*` events (organisation wound up, …).
    ///   - reachGraceDays: How long a provider still sees a cooperative after its assignment ended.
    ///   - identityProbesPerHour: "Already registered" answers about people outside a scoped
    ///     user's reach per user and hour (`security.identityProbesPerHour`).
    public init(database: Database, vault: IdentityVault, events: EventPublisher, reachGraceDays: Int = 0, identityProbesPerHour: Int = 10) {
        self.reachGraceDays = reachGraceDays
        self.database = database
        self.vault = vault
        self.events = events
        self.identityProbesPerHour = identityProbesPerHour
    }

    /// The registry's feature id: audit rows, events and permissions say `registry`.
    static let feature = "registry"

    /// What `principal` may see: everything, or for a scoped role the organisations its
    /// provider organisation is assigned to today (or was, within ``reachGraceDays``).
    public func reach(of principal: Principal) -> Reach {
        guard principal.isScoped else { return .everything }
        return principal.organisationID.map { Reach.provider($0, graceDays: reachGraceDays) } ?? .nothing
    }

    /// Checks that the database's sealed numbers were made with this registry's key, and records
    /// the key on first use.
    ///
    /// - Throws: ``IdentityKeyError`` when the database was written with another key.
    public func verifyKey() async throws {
        let check = vault.keyCheck
        // Read first: `/health` calls this, and a health check should not write.
        var stored = try await database.query("SELECT value FROM registry.key_check").first?.decode("value", as: Data.self)
        if stored == nil {
            stored = try await database.transaction { tx in
                try tx.execute("INSERT INTO registry.key_check (value) VALUES (\(check)) ON CONFLICT (singleton) DO NOTHING")
                return try tx.query("SELECT value FROM registry.key_check").single().decode("value", as: Data.self)
            }
        }
        let matches = stored == check
        guard matches else {
            throw IdentityKeyError(
                message:
                    "the identity key is not the one this database's identity numbers were sealed with; start with the original key (KOOPERATOR_IDENTITY_KEY or security.identityKeyFile)"
            )
        }
    }
}

/// What a caller may see of the registry.
public enum Reach: Sendable, Hashable {
    /// Every organisation and person (officers, coordinators, auditors, admins).
    case everything
    /// The provider organisation itself and the organisations granted to it (a supervisor):
    /// the grants in force today, or that ended at most `graceDays` ago.
    case provider(Int, graceDays: Int = 0)
    /// Nothing (a scoped user without an organisation).
    case nothing

    /// A condition on an organisation id column (e.g. `o.id`): true when the id is within reach.
    public func allowsOrganisation(_ column: SQL) -> SQL {
        switch self {
        case .everything:
            return "TRUE"
        case .nothing:
            return "FALSE"
        case .provider(let provider, let graceDays):
            // The grant's first day does not count: a grant is made when its assignment comes
            // into force, and the provider prepares for a start in the coming weeks. Today is the
            // municipality's (`LocalDate.today()`), as the assignments' days are, not the
            // database session's UTC `current_date`, which is a day behind from midnight to one.
            return """
                (\(column) = \(provider) OR \(column) IN (SELECT g.organisation_id FROM registry.scope_grants g \
                WHERE g.provider_id = \(provider) AND (g.to_date IS NULL OR g.to_date >= \(LocalDate.today().adding(days: -graceDays)))))
                """
        }
    }

    /// A condition on a person id column: true when the person has a role (past or present) in
    /// an organisation within reach.
    public func allowsPerson(_ column: SQL) -> SQL {
        switch self {
        case .everything:
            return "TRUE"
        case .nothing:
            return "FALSE"
        case .provider:
            return
                "EXISTS (SELECT 1 FROM registry.roles reach_r WHERE reach_r.person_id = \(column) AND \(allowsOrganisation("reach_r.organisation_id")))"
        }
    }
}
