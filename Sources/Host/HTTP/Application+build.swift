import DataAccess
import FeatureSupport
import Hummingbird
import Logging
import PageKit
import PluginKit
import ServiceLifecycle

/// Builds the HTTP application: kernel routes, each enabled feature's routes under
/// `/api/v1/<id>`, and the host's services (the database pool, the event dispatcher, the
/// password threads, the mail (reminder digests and the outbox), the hourly removal of expired
/// idempotency keys, the metrics listener on `metrics.address`, and each enabled feature's).
/// `serve` and the tests both call this.
///
/// - Parameter runtime: The database, configuration and features.
/// - Returns: The application; `runService()` runs it with graceful shutdown.
/// - Throws: ``PageSetupError`` when a feature's page templates cannot be loaded.
func buildApplication(runtime: HostRuntime) throws -> some ApplicationProtocol {
    let router = try buildRouter(runtime: runtime)
    var services: [any Service] = [
        runtime.database, runtime.dispatcher, runtime.passwords,
        try MailService(database: runtime.database, settings: runtime.configuration.host.mail, logger: runtime.logger),
    ]
    // Keys past their lifetime are never replayed; the hourly look removes their rows.
    services.append(
        DailyJob("expired idempotency keys", database: runtime.database, logger: runtime.logger) { _, tx in try IdempotentWrites.removeExpired(in: tx)
        }
    )
    if let metrics = buildMetricsApplication(runtime: runtime) {
        services.append(MetricsListener(application: metrics, setting: runtime.configuration.host.metrics))
    }
    for feature in runtime.features.enabled {
        services += try feature.plugin.services(context: runtime.context(for: feature.id))
    }
    return Application(
        router: router,
        // A client that stops sending mid-head or mid-body is cut off instead of holding its
        // connection (and a task) for as long as it likes.
        server: .http1(configuration: .init(idleTimeout: .init(runtime.configuration.host.http.readTimeout))),
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

/// The router alone, for tests that drive it without a socket: the API under `/api/v1` (bearer
/// tokens, JSON problems) and the pages (session cookies, HTML errors) everywhere else.
func buildRouter(runtime: HostRuntime) throws -> Router<AppRequestContext> {
    AppRequestContext.bodyLimit = runtime.configuration.host.http.maxBodyBytes
    let (host, documents) = (try runtime.hostDocument(), try runtime.features.apiDocuments())
    let router = Router(context: AppRequestContext.self)
    let secureTransport = runtime.configuration.host.http.secureCookies
    // Outermost first: the log sees the status the problem middleware chose. One stack of fixed
    // types, not one `add` each: the router then calls each directly instead of through a
    // closure of its own, which cost every request an async frame or two per middleware.
    router.addMiddleware {
        RequestLogMiddleware(level: .debug)
        if secureTransport { SecureTransportMiddleware() }
        ProblemMiddleware()
        ReadRetryMiddleware()
        MethodNotAllowedMiddleware(documents: [host] + documents.values)
        // Counted here, served on the metrics listener only (``buildMetricsApplication(runtime:)``).
        MetricsMiddleware()
    }
    OpenAPIController(host: host, features: runtime.features, documents: documents).register(on: router)
    // The host's own operations (health, audit log) from Sources/Host/openapi.yaml.
    let kernel = router.group().addMiddleware {
        AuthenticationMiddleware(authenticator: runtime.authenticator)
        APIOperationMiddleware(document: host, writes: IdempotentWrites(database: runtime.database))
    }
    try HostAPI(runtime: runtime).registerHandlers(on: APITransport(kernel), configuration: .kooperator)
    try addFeatureAPIs(to: router.group("api/v1"), runtime: runtime, documents: documents, authenticator: runtime.authenticator)
    try addPages(
        to: router,
        runtime: runtime,
        api: InProcessAPI(runtime: runtime, host: host, documents: documents),
        host: host,
        documents: documents
    )
    return router
}

/// Each enabled feature's routes at `<group>/<id>`, behind the checks of its API document, and
/// behind the bearer token's when `authenticator` is given (the pages' in-process calls come
/// with their user already known).
func addFeatureAPIs(
    to api: RouterGroup<AppRequestContext>,
    runtime: HostRuntime,
    documents: [String: APIDocument],
    authenticator: TokenAuthenticator? = nil
) throws {
    let authentication = authenticator.map { AuthenticationMiddleware(authenticator: $0) }
    for feature in runtime.features.enabled {
        let checks = documents[feature.id].map { APIOperationMiddleware(document: $0, writes: IdempotentWrites(database: runtime.database)) }
        let group = api.group(RouterPath(feature.id)).addMiddleware {
            if let authentication { authentication }
            if let checks { checks }
        }
        try feature.plugin.addRoutes(to: group, context: runtime.context(for: feature.id))
    }
}

/// The pages: sign-in, language and style sheet open; the start page, sign-out and every
/// enabled feature's pages (at `/<id>`) behind the session, with a form for each write operation
/// of its API document (at `/<id>/forms/<operationId>`, ``OperationForms``) that calls `api`.
func addPages(
    to router: Router<AppRequestContext>,
    runtime: HostRuntime,
    api: InProcessAPI,
    host: APIDocument,
    documents: [String: APIDocument]
) throws {
    let pages = try HostPages(
        runtime: runtime,
        operations: PageOperations(api: api, documents: documents.merging([AdminPages.id: host]) { feature, _ in feature })
    )
    let security = runtime.configuration.host.security
    let sessions = SessionStore(
        database: runtime.database,
        roles: runtime.roles,
        idleMinutes: security.sessionIdleMinutes,
        maxHours: security.sessionMaxHours,
        throttle: SignInThrottle(
            database: runtime.database,
            attempts: security.signInAttempts,
            attemptsPerAddress: security.signInAttemptsPerAddress
        ),
        passwords: runtime.passwords
    )
    let http = runtime.configuration.host.http
    let web = WebController(
        pages: pages,
        sessions: sessions,
        secureCookies: http.secureCookies,
        vault: runtime.vault,
        clientAddress: ClientAddress(trustedProxies: http.trustedProxies)
    )
    web.registerOpen(
        on: router.group().addMiddleware {
            PageErrorMiddleware(pages: pages)
            ReadRetryMiddleware()
        }
    )
    let uploads = UploadRoutes()
    let signedIn = router.group().addMiddleware {
        PageErrorMiddleware(pages: pages)
        ReadRetryMiddleware()
        WebSessionMiddleware(
            sessions: sessions,
            writes: IdempotentWrites(database: runtime.database),
            maxBodyBytes: http.maxBodyBytes,
            uploads: uploads
        )
    }
    web.registerSignedIn(on: signedIn)
    for provider in pages.providers {
        let router = PageRouter(
            group: signedIn.group(RouterPath(provider.featureID)),
            prefix: "/" + provider.featureID,
            templates: provider.pages.templates,
            host: pages,
            uploads: uploads
        )
        provider.pages.addPages(to: router)
        if let document = provider.featureID == AdminPages.id ? host : documents[provider.featureID] {
            OperationForms(document: document, pagesID: provider.featureID, pages: provider.pages, providers: pages.providers, api: api).addPages(
                to: router
            )
        }
    }
    // Last, after every route: it wraps only the router's "no route" answer.
    router.add(middleware: UnknownPageMiddleware(pages: PageErrorMiddleware(pages: pages)))
}

/// The metrics listener: `GET /metrics` (and nothing else) on `metrics.address`, loopback by
/// default, apart from the public port, which answers 404 for it. A service of the host's
/// `ServiceGroup`; `nil` when `metrics.address` is empty.
func buildMetricsApplication(runtime: HostRuntime) -> Application<RouterResponder<BasicRequestContext>>? {
    guard let host = runtime.configuration.host.metrics.host else { return nil }
    let router = Router()
    MetricsController(database: runtime.database).register(on: router)
    return Application(
        router: router,
        // A client that stops sending mid-head or mid-body is cut off instead of holding its
        // connection (and a task) for as long as it likes.
        server: .http1(configuration: .init(idleTimeout: .init(runtime.configuration.host.http.readTimeout))),
        configuration: ApplicationConfiguration(
            address: .hostname(host, port: runtime.configuration.host.metrics.port),
            serverName: "kooperator-metrics"
        ),
        onServerRunning: { [logger = runtime.logger] channel in
            let address = channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
            logger.info("serving /metrics on http://\(address)")
        },
        logger: runtime.logger
    )
}
