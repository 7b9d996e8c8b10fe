import DataAccess
import FeatureSupport
import Foundation
import Logging
import PluginKit
import Registry

/// What a running host works with: its configuration, the database pool, the enabled
/// features, the registry with the identity key, and the event dispatcher. `serve`, the admin
/// commands and the tests build one.
struct HostRuntime: Sendable {
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
    var users: UserStore { UserStore(database: database, registry: registry, passwords: passwords) }
    /// The identity key's vault: identity numbers, and the signatures of values the host hands out.
    let vault: IdentityVault
    /// The embedded cluster this runtime started, to stop on shutdown; `nil` otherwise.
    let startedCluster: EmbeddedPostgres?

    var features: FeatureSet { configuration.features }

    /// Connects to the configured database, starting the embedded cluster when no URL is set.
    ///
    /// - Throws: ``EmbeddedPostgresError`` when the embedded cluster cannot start;
    ///   ``IdentityKeyError`` when the identity key is unusable.
    static func start(configuration: LoadedConfiguration, logger: Logger) throws -> HostRuntime {
        let vault = try IdentityKeyFile.vault(settings: configuration.host.security, environment: configuration.host.environment, logger: logger)
        let url: String
        var started: EmbeddedPostgres?
        if let configured = configuration.host.database.url {
            url = configured
        } else {
            let cluster = configuration.host.embeddedPostgres
            if try cluster.start(creating: ["kooperator"], logger: logger) { started = cluster }
            url = cluster.url(database: "kooperator")
        }
        let database = Database(configuration: configuration.host.databaseConfiguration(url: url), logger: logger)
        return try HostRuntime(configuration: configuration, database: database, logger: logger, vault: vault, startedCluster: started)
    }

    init(
        configuration: LoadedConfiguration,
        database: Database,
        logger: Logger,
        vault: IdentityVault,
        startedCluster: EmbeddedPostgres? = nil
    ) throws {
        self.configuration = configuration
        self.database = database
        self.logger = logger
        self.startedCluster = startedCluster
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
        self.authenticator = TokenAuthenticator(database: database, cacheSeconds: configuration.host.security.tokenCacheSeconds)
        self.passwords = PasswordHashing(cost: configuration.host.security.passwordHashCost)
        if !PageCursor.useKey(vault.cursorKey) {
            // Only a process running hosts of two installations (a test) gets here.
            logger.debug("paging cursors keep the key of the first installation in this process")
        }
        var kernel = KernelServices()
        kernel.provide(registry)
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
        try await Migrator(database: database, logger: logger).status(of: features.migrationGroups).filter { !$0.pending.isEmpty }
    }

    /// Applies every pending step of the kernel and the enabled features.
    @discardableResult
    func migrate() async throws -> [AppliedMigration] {
        try await Migrator(database: database, logger: logger).migrate(features.migrationGroups)
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
