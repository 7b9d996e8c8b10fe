import DataAccess
import Hummingbird
import Logging
import PluginKit
import ServiceLifecycle

/// Builds the HTTP application: kernel routes, each enabled feature's routes under
/// `/api/v1/<id>`, and the host's services. `serve` and the tests both call this.
///
/// - Parameter runtime: The database, configuration and features.
/// - Returns: The application; `runService()` runs it with graceful shutdown.
func buildApplication(runtime: HostRuntime) -> some ApplicationProtocol {
    let router = buildRouter(runtime: runtime)
    var services: [any Service] = [runtime.database, runtime.dispatcher]
    for feature in runtime.features.enabled {
        services += feature.plugin.services(context: runtime.context(for: feature.id))
    }
    return Application(
        router: router,
        configuration: ApplicationConfiguration(
            address: .hostname(runtime.configuration.host.http.host, port: runtime.configuration.host.http.port),
            serverName: "kooperator"
        ),
        services: services,
        onServerRunning: { [logger = runtime.logger, features = runtime.features] channel in
            let address = channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
            let enabled = features.enabled.map(\.id)
            logger.info("serving on http://\(address); features: \(enabled.isEmpty ? "none" : enabled.joined(separator: ", "))")
        },
        logger: runtime.logger
    )
}

/// The router alone, for tests that drive it without a socket.
func buildRouter(runtime: HostRuntime) -> Router<AppRequestContext> {
    AppRequestContext.bodyLimit.set(runtime.configuration.host.http.maxBodyBytes)
    let router = Router(context: AppRequestContext.self)
    // Outermost first: the log sees the status the problem middleware chose.
    router.add(middleware: RequestLogMiddleware(level: .debug))
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MetricsMiddleware())
    HealthController(runtime: runtime).register(on: router)
    MetricsController(database: runtime.database).register(on: router)
    OpenAPIController(features: runtime.features).register(on: router)
    let api = router.group("api/v1").add(middleware: AuthenticationMiddleware(authenticator: runtime.authenticator))
    AuditController(log: AuditLog(database: runtime.database)).register(on: api)
    for feature in runtime.features.enabled {
        feature.plugin.addRoutes(to: api.group(RouterPath(feature.id)), context: runtime.context(for: feature.id))
    }
    return router
}
