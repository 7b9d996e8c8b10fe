public import DataAccess
public import Hummingbird
public import PluginKit
import Registry

/// The benchmark feature behind `make bench`: one route without the database and one that
/// reads a row by primary key through the pool, so the harness can compare both with
/// `pgbench` on the same PostgreSQL.
///
/// Only `kooperator-bench` (Benchmarks/BenchMain) has it, and there it is disabled unless
/// `features.bench.enabled` is `true`, as in `Benchmarks/bench.yaml`; the product `kooperator`
/// does not link it.
public struct BenchPlugin: FeaturePlugin {
    /// The config key, schema name and URL prefix: `/api/v1/bench`.
    public static let id = "bench"
    /// Shown by `kooperator features`.
    public static let summary = "Benchmark routes (disabled in normal operation)"
    /// The feature's version.
    public static let version = "1.0.0"

    /// Creates the feature; it has no settings of its own.
    ///
    /// - Parameter settings: The `features.bench` section (only `enabled`, read by the host).
    public init(settings: ConfigSection) throws {}

    /// The `bench` schema with `bench.accounts`, 100000 rows.
    public var migrations: [Migration] { BenchMigrations.all }

    /// Adds `GET hello`, `GET accounts/:id`, `POST accounts/:id/deposit` and
    /// `POST people/:id/update` (the registry's person update, `?audit=0` without its audit row)
    /// under `/api/v1/bench`.
    ///
    /// - Parameters:
    ///   - group: The router group mounted at `/api/v1/bench`.
    ///   - context: The database the account route reads from.
    public func addRoutes(to group: RouterGroup<AppRequestContext>, context: FeatureContext) {
        BenchRoutes(database: context.database, registry: try? context.registry).register(on: group)
    }

    /// `kooperator bench seed-people`.
    public var commands: [any FeatureCommand.Type] { [SeedPeopleCommand.self] }
}
