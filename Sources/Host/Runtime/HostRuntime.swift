import DataAccess
import FeatureSupport
import Foundation
import Logging
import PageKit
import PluginKit
import Registry

/// What a running host works with: its configuration, the database pool, the enabled
/// features, the registry with the identity key, and the event dispatcher. `serve`, the admin
/// commands and the tests build one.
package struct HostRuntime: Sendable {
    let configuration: LoadedConfiguration
    let database: Database
    let dispatcher: EventDispatcher
    /// Rung after a publishing transaction commits; wakes the dispatcher.
    let bell: Bell
    let logger: Logger
    /// The registry every feature shares.
    let registry: Registry
    /// The kernel services handed to every feature.
    let kernel: KernelServices
    /// Checks bearer tokens, with a short cache.
    let authenticator: TokenAuthenticator
    /// Hashes and checks passwords on threads of its own (a service of the host).
    let passwords: PasswordHashing

    /// Users and tokens.
    var users: UserStore { UserStore(database: database, registry: registry, roles: roles, passwords: passwords) }
    /// The identity key's vault: identity numbers, and the signatures of values the host hands out.
    let vault: IdentityVault
    /// The embedded cluster this runtime started, to stop on shutdown; `nil` otherwise.
    let startedCluster: EmbeddedPostgres?
    /// The owner role's URL that migrations run with (`database.migrationUrl`, or the embedded
    /// cluster's owner); `nil`: migrations run on ``database``, as the serving role.
    let migrationURL: String?

    var features: FeatureSet { configuration.features }
    /// The roles of the kernel and the enabled features.
    var roles: RoleCatalogue { configuration.roles }

    /// Connects to the configured database, starting the embedded cluster when no URL is set.
    ///
    /// With the embedded cluster the host serves as its serving role and migrates as its owner
    /// role; with an external server it serves with `database.url` and migrates with
    /// `database.migrationUrl` when set (else with `database.url`).
    ///
    /// - Throws: ``EmbeddedPostgresError`` when the embedded cluster cannot start;
    ///   ``IdentityKeyError`` when the identity key is unusable.
    static func start(configuration: LoadedConfiguration, logger: Logger) throws -> HostRuntime {
        let vault = try IdentityKeyFile.vault(settings: configuration.host.security, environment: configuration.host.environment, logger: logger)
        let url: String
        let migrationURL: String?
        var started: EmbeddedPostgres?
        if let configured = configuration.host.database.url {
            url = configured
            migrationURL = configuration.host.database.migrationURL
        } else {
            let cluster = configuration.host.embeddedPostgres
            if try cluster.start(creating: [Self.embeddedDatabase], logger: logger) { started = cluster }
            url = try cluster.url(database: Self.embeddedDatabase, as: .server)
            migrationURL = try cluster.url(database: Self.embeddedDatabase, as: .owner)
        }
        let database = configuration.host.database(url: url, logger: logger)
        do {
            return try HostRuntime(
                configuration: configuration,
                database: database,
                logger: logger,
                vault: vault,
                startedCluster: started,
                migrationURL: migrationURL
            )
        } catch {
            try? started?.stop()
            throw error
        }
    }

    /// The embedded cluster's database.
    static let embeddedDatabase = "kooperator"

    init(
        configuration: LoadedConfiguration,
        database: Database,
        logger: Logger,
        vault: IdentityVault,
        startedCluster: EmbeddedPostgres? = nil,
        migrationURL: String? = nil
    ) throws {
        self.configuration = configuration
        self.database = database
        self.logger = logger
        self.startedCluster = startedCluster
        self.migrationURL = migrationURL
        self.vault = vault
        // The bell comes first: publishers ring it after their commits, the dispatcher listens.
        let bell = Bell()
        self.bell = bell
        self.registry = Registry(
            database: database,
            vault: vault,
            events: EventPublisher(featureID: RegistryPlugin.id, afterCommit: { bell.ring() }),
            reachGraceDays: configuration.host.security.reachGraceDays,
            identityProbesPerHour: configuration.host.security.identityProbesPerHour
        )
        self.authenticator = TokenAuthenticator(
            database: database,
            roles: configuration.roles,
            cacheSeconds: configuration.host.security.tokenCacheSeconds
        )
        self.passwords = PasswordHashing(cost: configuration.host.security.passwordHashCost)
        if !PageCursor.useKey(vault.cursorKey) {
            // Only a process running hosts of two installations (a test) gets here.
            logger.debug("paging cursors keep the key of the first installation in this process")
        }
        var kernel = KernelServices()
        kernel.provide(registry)
        kernel.provide(KernelStaffDirectory())
        // Missing only when the config has problems, and then no host starts.
        if let letters = configuration.host.letters { kernel.provide(letters) }
        self.kernel = kernel
        // Handlers get their feature's context, so they can use the kernel's services.
        var subscriptions: [(subscriber: String, subscription: EventSubscription)] = []
        for feature in configuration.features.enabled {
            let context = Self.context(
                for: feature.id,
                database: database,
                logger: logger,
                bell: bell,
                kernel: kernel,
                features: configuration.features
            )
            subscriptions += try feature.plugin.eventSubscriptions(context: context).map { (feature.id, $0) }
        }
        // The host queues every feature's reminders for the daily digests.
        subscriptions += ReminderQueue.subscriptions(for: configuration.features.enabled.map(\.id))
        self.dispatcher = EventDispatcher(
            database: database,
            subscriptions: subscriptions,
            settings: configuration.host.events,
            logger: logger,
            bell: bell
        )
    }

    /// The context handed to a feature's routes, commands, services and health check.
    func context(for id: String) -> FeatureContext {
        Self.context(for: id, database: database, logger: logger, bell: bell, kernel: kernel, features: features)
    }

    static func context(
        for id: String,
        database: Database,
        logger: Logger,
        bell: Bell,
        kernel: KernelServices,
        features: FeatureSet
    ) -> FeatureContext {
        FeatureContext(
            featureID: id,
            database: database,
            logger: logger,
            events: EventPublisher(featureID: id, afterCommit: { bell.ring() }),
            kernel: kernel,
            plugin: features.loaded.first { $0.id == id }?.plugin
        )
    }

    /// Steps not yet applied, per feature.
    func pendingMigrations() async throws -> [MigrationStatus] {
        try await Migrator(database: database, logger: logger).status(of: features.migrationGroups).filter {
            !$0.pending.isEmpty || !$0.changed.isEmpty
        }
    }

    /// Applies every pending step of the kernel and the enabled features, as the owner role
    /// when there is one (then grants the serving role what it needs, see
    /// ``grantServingRole()``), then stores the roles of the kernel and the enabled features in
    /// `kernel.roles`.
    @discardableResult
    func migrate() async throws -> [AppliedMigration] {
        let applied: [AppliedMigration]
        if migrationURL == nil {
            applied = try await Migrator(database: database, logger: logger).migrate(features.migrationGroups)
        } else {
            applied = try await withOwner { owner in
                let applied = try await Migrator(database: owner, logger: logger).migrate(features.migrationGroups)
                try await grantServingRole(owner: owner)
                return applied
            }
        }
        try await storeRoles()
        return applied
    }

    /// Gives the serving role (the one ``database`` connects as) its privileges on everything
    /// the owner role owns; `kernel.audit_log` only `SELECT` and `INSERT`. Nothing to do when
    /// there is no owner role apart.
    func grantServingRole() async throws {
        guard migrationURL != nil else { return }
        try await withOwner { owner in try await grantServingRole(owner: owner) }
    }

    private func grantServingRole(owner: Database) async throws {
        let role = try await database.query("SELECT current_user::text AS name").single().decode("name", as: String.self)
        try await Migrator(database: owner, logger: logger).grantServingRole(role, appendOnlyTables: KernelSchema.appendOnlyTables)
    }

    /// Runs `body` with a one-connection pool on ``migrationURL``, closed afterwards.
    private func withOwner<Result>(_ body: (Database) async throws -> Result) async throws -> Result {
        guard let migrationURL else { return try await body(database) }
        var settings = configuration.host.databaseConfiguration(url: migrationURL)
        settings.poolSize = 1
        let owner = Database(configuration: settings, logger: logger)
        do {
            let result = try await body(owner)
            await owner.shutdown()
            return result
        } catch {
            await owner.shutdown()
            throw error
        }
    }

    /// Writes each documented role to `kernel.roles`, auditing those that are new or changed, then
    /// reads back the roles stored by features now switched off.
    func storeRoles() async throws {
        try await database.transaction { [roles] tx in
            for definition in roles.documented {
                let changed = try tx.queryFirst(
                    """
                    INSERT INTO kernel.roles AS r (id, name_sv, name_en, summary, scoped, holds, feature)
                    VALUES (\(definition.role), \(definition.names[.sv] ?? ""), \(definition.names[.en] ?? ""), \(definition.summary),
                            \(definition.isScoped), \(definition.holds.sorted()), \(definition.feature))
                    ON CONFLICT (id) DO UPDATE SET name_sv = EXCLUDED.name_sv, name_en = EXCLUDED.name_en, summary = EXCLUDED.summary,
                        scoped = EXCLUDED.scoped, holds = EXCLUDED.holds, feature = EXCLUDED.feature
                    WHERE (r.name_sv, r.name_en, r.summary, r.scoped, r.holds, r.feature)
                        IS DISTINCT FROM (EXCLUDED.name_sv, EXCLUDED.name_en, EXCLUDED.summary, EXCLUDED.scoped, EXCLUDED.holds, EXCLUDED.feature)
                    RETURNING id
                    """
                )
                if changed != nil {
                    try tx.audit(.system, feature: "kernel", entity: "role", id: definition.role.rawValue, action: "define", after: definition)
                }
            }
        }
        let rows = try await database.query(
            "SELECT id, name_sv, name_en, summary, scoped, array_to_string(holds, ' ') AS holds, feature FROM kernel.roles ORDER BY id"
        )
        roles.adopt(
            stored: try rows.map { row in
                RoleCatalogue.Definition(
                    role: try row.decode("id"),
                    names: [.sv: try row.decode("name_sv"), .en: try row.decode("name_en")],
                    summary: try row.decode("summary"),
                    isScoped: try row.decode("scoped"),
                    holds: Set(try row.decode("holds", as: String.self).split(separator: " ").map(String.init)),
                    feature: try row.decode("feature")
                )
            }
        )
    }

    /// Closes the pool, ends the password threads and stops the embedded cluster if this runtime
    /// started it.
    func shutdown() async {
        await passwords.shutdown()
        await database.shutdown()
        if let startedCluster {
            do {
                try startedCluster.stop()
                logger.info("stopped embedded PostgreSQL")
            } catch {
                logger.error("\(error)")
            }
        }
    }
}
