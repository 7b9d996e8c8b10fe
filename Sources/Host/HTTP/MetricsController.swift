import CoreMetrics
import DataAccess
import Hummingbird
import Metrics
import Prometheus

/// `GET /metrics` in Prometheus text format: Hummingbird's request counters and latency
/// histograms (through swift-metrics) plus the database pool's gauges, read at scrape time.
struct MetricsController: Sendable {
    /// The process's registry; swift-metrics can be bootstrapped once per process.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    let database: Database

    func register(on router: Router<some RequestContext>) {
        let registry = Self.registry
        let size = registry.makeGauge(
            descriptor: .init(
                namespace: "kooperator",
                subsystem: "db_pool",
                metricName: "size",
                unitName: "connections",
                helpText: "Configured number of database connections"
            )
        )
        let leased = registry.makeGauge(
            descriptor: .init(
                namespace: "kooperator",
                subsystem: "db_pool",
                metricName: "leased",
                unitName: "connections",
                helpText: "Database connections in use"
            )
        )
        let idle = registry.makeGauge(
            descriptor: .init(
                namespace: "kooperator",
                subsystem: "db_pool",
                metricName: "idle",
                unitName: "connections",
                helpText: "Open database connections waiting for work"
            )
        )
        let waiting = registry.makeGauge(
            descriptor: .init(
                namespace: "kooperator",
                subsystem: "db_pool",
                metricName: "waiting",
                unitName: "callers",
                helpText: "Callers waiting for a database connection"
            )
        )
        let timeouts = registry.makeGauge(
            descriptor: .init(
                namespace: "kooperator",
                subsystem: "db_pool",
                metricName: "timeouts",
                unitName: "total",
                helpText: "Acquire timeouts since start"
            )
        )
        let reconnects = registry.makeGauge(
            descriptor: .init(
                namespace: "kooperator",
                subsystem: "db_pool",
                metricName: "reconnects",
                unitName: "total",
                helpText: "Broken connections reopened since start"
            )
        )
        router.get("/metrics") { _, _ -> Response in
            let statistics = database.statistics
            size.set(Double(statistics.size))
            leased.set(Double(statistics.leased))
            idle.set(Double(statistics.idle))
            waiting.set(Double(statistics.waiting))
            timeouts.set(Double(statistics.timeouts))
            reconnects.set(Double(statistics.reconnects))
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }
}
