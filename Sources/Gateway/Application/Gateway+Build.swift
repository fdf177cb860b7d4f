import Foundation
import Hummingbird
import Logging
import OpenAPIHummingbird
import OpenAPIRuntime
import PostgresNIO
import Prometheus
import ServiceLifecycle
import Shared

/// Builds the gateway: the HTTP application with its PostgreSQL client, migrations at start and the outbox
/// relay, plus the broker client, in one `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT.
///
/// - Parameters:
///   - publisher: publishes the outbox's messages with confirms (the AMQP client).
///   - publisherService: the publisher's own service (its connection), run in the group when it has one.
func buildGateway(
    configuration: PansibleConfiguration, logger: Logger, registry: PrometheusCollectorRegistry, publisher: any MessagePublishing,
    publisherService: (any Service)? = nil, isPublisherReady: @escaping @Sendable () async -> Bool = { true },
    readinessChecks: [any ReadinessCheck] = []
) throws -> ServiceGroup {
    let app = try buildApplication(
        configuration: configuration, logger: logger, registry: registry, publisher: publisher, isPublisherReady: isPublisherReady,
        readinessChecks: readinessChecks
    )
    var services: [any Service] = []
    if let publisherService { services.append(publisherService) }
    services.append(app)
    return ServiceGroup(
        configuration: .init(services: services, gracefulShutdownSignals: ProcessBootstrap.shutdownSignals, logger: logger)
    )
}

/// The gateway's Hummingbird application (tests run it with `app.test(.router)`).
func buildApplication(
    configuration: PansibleConfiguration, logger: Logger, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    publisher: any MessagePublishing, isPublisherReady: @escaping @Sendable () async -> Bool = { true },
    relaySettings: OutboxRelay.Settings = .init(), scheduleSettings: ScheduleRunner.Settings = .init(),
    webhookSettings: WebhookDispatcher.Settings = .init(), readinessChecks: [any ReadinessCheck] = [],
    onServerRunning: (@Sendable (Int) async -> Void)? = nil
) throws -> some ApplicationProtocol {
    let gateway = configuration.gateway
    let keys = try GatewayKeys(gateway)
    let adminToken = keys.adminToken
    let sealer = keys.sealer
    let postgres = try PostgresClient(configuration: configuration.database, logger: logger)
    let signal = OutboxSignal()
    var services = GatewayServices.postgres(
        client: postgres, signal: signal, defaultDeadline: gateway.jobDeadline, sealer: sealer, maxBodySize: gateway.maxBodySize, logger: logger
    )
    services.progressBase = gateway.progressURL ?? configuration.collector.address.url(scheme: "ws")
    let startup = StartupGate()
    let relay = OutboxRelay(
        postgres: postgres, publisher: publisher, signal: signal, settings: relaySettings, startup: startup,
        isPublisherReady: isPublisherReady, logger: logger
    )
    let router = try buildRouter(
        services: services, authenticator: Authenticator(adminToken: adminToken, tokens: services.tokens),
        readinessChecks: [postgres.readinessCheck(logger: logger)] + readinessChecks, registry: registry, contract: try APIContract()
    )
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(gateway.address.host, port: gateway.address.port), serverName: "pansible-gateway"),
        services: [
            postgres, relay,
            ScheduleRunner(schedules: services.schedules, jobs: services.jobs, startup: startup, settings: scheduleSettings, logger: logger),
            WebhookDispatcher(
                queue: WebhookPostgresRepository(client: postgres, logger: logger), jobs: services.jobs, sealer: sealer,
                publicURL: gateway.publicURL, startup: startup, settings: webhookSettings, logger: logger
            ),
        ],
        onServerRunning: { channel in await onServerRunning?(channel.localAddress?.port ?? 0) },
        logger: logger
    )
    app.beforeServerStarts {
        try await Migrator(client: postgres, logger: logger).migrate()
        await startup.open()
    }
    return app
}

/// The router with every route: the operations of `openapi.yaml` served by the generated server (`GatewayAPI`),
/// the routes passed through as bytes, and the ones without a token.
func buildRouter(
    services: GatewayServices, authenticator: Authenticator, readinessChecks: [any ReadinessCheck], registry: PrometheusCollectorRegistry,
    contract: APIContract
) throws -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    // Outermost, so that it records every state-changing call with the status its client gets.
    router.add(middleware: AuditMiddleware(audit: services.audit, contract: contract))
    router.add(middleware: ErrorMiddleware(contract: contract))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: BodyLimitMiddleware(limit: services.maxBodySize))

    // Without a token: operations, the API's description, the upload page (its upload carries a token), the web
    // view's pages (their scripts carry the token).
    router.addOperationsRoutes(checks: readinessChecks, registry: registry)
    OpenAPIController(document: contract).addRoutes(to: router)
    InventoryFormController(services: services, authenticator: authenticator).addRoutes(to: router)
    WebViewController(progressBase: services.progressBase).addRoutes(to: router)

    // Everything else needs a bearer token.
    router.add(middleware: AuthMiddleware(authenticator: authenticator))
    PreRenderedRoutes(services: services).addRoutes(to: router)
    let api = router.group().add(middleware: OpenAPIRequestMiddleware(limit: services.maxBodySize))
    try GatewayAPI(services: services).registerHandlers(
        on: api, serverURL: URL(string: "/")!,
        configuration: Configuration(dateTranscoder: APIDateTranscoder(), jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])
    )
    return router
}

/// The gateway's two required keys, checked before anything connects (a bad value stops the process with one
/// line naming it, and nothing else on stderr).
struct GatewayKeys {
    let adminToken: String
    let sealer: CredentialSealer

    init(_ gateway: GatewayConfiguration) throws {
        guard let adminToken = gateway.adminToken else {
            throw ConfigurationError(key: "admin_token", message: "required by the gateway: set the bearer token with every right")
        }
        guard let secretKey = gateway.secretKey else {
            throw ConfigurationError(key: "secret_key", message: "required by the gateway: base64 of 32 bytes (openssl rand -base64 32)")
        }
        self.adminToken = adminToken
        self.sealer = try CredentialSealer(base64Key: secretKey)
    }
}
