public import DataAccess
public import Foundation
public import Hummingbird
public import ServiceLifecycle

/// A feature module of Kooperator: the one type a feature exposes to the host.
///
/// A feature declares who it is (``id``, ``summary``, ``version``, ``dependencies``) as static
/// properties, so the host can list and validate it while it is disabled. When the operator
/// enables it in `config/kooperator.yaml`, the host creates it from its own `features.<id>`
/// settings and takes what it contributes: migrations, routes under `/api/v1/<id>`, admin
/// commands under `kooperator <id>`, permissions, services, event subscriptions and a health
/// check. Every contribution has a default (none), so a feature implements only what it has.
/// A feature with pages also conforms to PageKit's `PageFeature`.
///
/// ```swift
/// public struct SupervisionPlugin: FeaturePlugin {
///     public static let id = "supervision"
///     public static let summary = "Supervision of cooperatives: assignments, sessions, goals"
///     public static let version = "1.0.0"
///
///     let reviewWarningDays: Int
///
///     public init(settings: ConfigSection) throws {
///         reviewWarningDays = settings.int("reviewWarningDays", default: 30, range: 1...365)
///     }
///
///     public var migrations: [Migration] { SupervisionMigrations.all }
///
///     public static var apiDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }
///
///     public func addRoutes(to group: RouterGroup<AppRequestContext>, context: FeatureContext) throws {
///         // SupervisionAPI implements the APIProtocol generated from Plugins/Supervision/openapi.yaml.
///         try SupervisionAPI(store: try SupervisionStore(context: context)).registerHandlers(on: APITransport(group), configuration: .kooperator)
///     }
/// }
/// ```
///
/// Disabling a feature removes its routes, commands, services and event handlers; its schema
/// and data stay untouched, and enabling it again brings everything back.
public protocol FeaturePlugin: Sendable {
    /// The stable lower-case id: config key `features.<id>`, schema name, URL prefix
    /// `/api/v1/<id>`, CLI group `kooperator <id>`. Letters, digits and `_`; starts with a letter.
    static var id: String { get }
    /// One line for `kooperator features`.
    static var summary: String { get }
    /// The feature's version, shown by `kooperator features`.
    static var version: String { get }
    /// Ids of features that must be enabled for this one to work; their migrations run first.
    static var dependencies: [String] { get }

    /// Creates the feature from its `features.<id>` settings.
    ///
    /// Read every setting through `settings`; a wrong type or an out-of-range value is recorded
    /// there with its key path, and keys the feature never reads are reported as unknown.
    /// `enabled` is the host's and is not visible here.
    ///
    /// - Parameter settings: The feature's config section.
    /// - Throws: Any error that makes the settings unusable; it is reported with the section's path.
    init(settings: ConfigSection) throws

    /// The feature's numbered schema steps, applied by `kooperator migrate` in dependency order.
    var migrations: [Migration] { get }

    /// The actions the feature checks before doing something (e.g. `supervision.session.write`).
    var permissions: [Permission] { get }

    /// The feature's HTTP API document, `openapi.yaml` in its folder, shipped as a resource
    /// (`Bundle.module.url(forResource: "openapi", withExtension: "yaml")`): the one source of its
    /// routes. Each operation names its permission in `x-kooperator-permission`; the host checks
    /// it before the generated handler runs, hands the handler the ``Caller``, and merges the
    /// document into `/openapi.json`. `nil` for a feature without such a document.
    static var apiDocument: URL? { get }

    /// The roles the feature contributes, `roles.json` in its folder, shipped as a resource: an
    /// object from each role's id to its names (`"sv"`, `"en"`), whether it is `"scoped"` to the
    /// organisations its provider is assigned to, and the permissions of other features it
    /// `"holds"` (its own it grants in ``permissions``). The host stores them as rows of
    /// `kernel.roles` when it migrates, so users can be given them; a role stays when its
    /// feature is switched off, holding nothing of it then. `nil` for a feature with no roles.
    static var rolesDocument: URL? { get }

    /// Adds the feature's HTTP routes. `group` is already mounted at `/api/v1/<id>`; for a feature
    /// with an ``apiDocument``, it checks each operation's permission and sets ``Caller/task``,
    /// so the feature registers its generated handlers on it (`registerHandlers(on: APITransport(group), configuration: .kooperator)`).
    ///
    /// - Parameters:
    ///   - group: The router group for the feature's prefix.
    ///   - context: The database, logger and event publisher of the feature.
    /// - Throws: Any error registering the handlers; the host does not start then.
    func addRoutes(to group: RouterGroup<AppRequestContext>, context: FeatureContext) throws

    /// The admin commands of `kooperator <id> …`; each runs with a ``FeatureContext``.
    var commands: [any FeatureCommand.Type] { get }

    /// Long-running work (reminders, jobs) for the host's `ServiceGroup`.
    ///
    /// - Parameter context: The database, logger and event publisher of the feature.
    /// - Returns: The services; they must end on graceful shutdown.
    /// - Throws: Any error that keeps the services from being made; the host does not start then.
    func services(context: FeatureContext) throws -> [any Service]

    /// The events from other features this one handles, with the feature's context for the
    /// handlers (the registry, the feature's own publisher). The default is none.
    ///
    /// - Parameter context: The feature's context.
    /// - Throws: Any error that keeps the handlers from being made; the host does not start then.
    func eventSubscriptions(context: FeatureContext) throws -> [EventSubscription]

    /// Loads the feature's part of the demo story (`kooperator demo load`, `make run`).
    ///
    /// Runs after the kernel's and its dependencies' demo data; must be idempotent: loading
    /// twice leaves the same data as loading once.
    ///
    /// - Parameter context: The database, logger, event publisher and kernel services.
    /// - Throws: Any error; the command reports it and exits non-zero.
    func loadDemo(context: FeatureContext) async throws

    /// Checks the feature's own health for `/health` and `kooperator features`.
    ///
    /// - Parameter context: The database, logger and event publisher of the feature.
    /// - Returns: The feature's state.
    func health(context: FeatureContext) async -> HealthStatus
}

// MARK: - Default implementations

extension FeaturePlugin {
    /// No dependencies.
    public static var dependencies: [String] { [] }
    /// No migrations.
    public var migrations: [Migration] { [] }
    /// No permissions.
    public var permissions: [Permission] { [] }
    /// No API document.
    public static var apiDocument: URL? { nil }
    /// No roles of its own.
    public static var rolesDocument: URL? { nil }
    /// No routes.
    public func addRoutes(to group: RouterGroup<AppRequestContext>, context: FeatureContext) throws {}
    /// No commands.
    public var commands: [any FeatureCommand.Type] { [] }
    /// No services.
    public func services(context: FeatureContext) throws -> [any Service] { [] }
    /// No subscriptions.
    public func eventSubscriptions(context: FeatureContext) throws -> [EventSubscription] { [] }
    /// No demo data.
    public func loadDemo(context: FeatureContext) async throws {}
    /// Healthy when the database answers.
    public func health(context: FeatureContext) async -> HealthStatus { .up }

    /// The feature's migrations as a group for the migrator, after the kernel and its dependencies.
    public var migrationGroup: MigrationGroup {
        MigrationGroup(feature: Self.id, dependencies: ["kernel"] + Self.dependencies, migrations: migrations)
    }
}
