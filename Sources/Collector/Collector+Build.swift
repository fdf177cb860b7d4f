import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import PostgresNIO
import Prometheus
import ServiceLifecycle
import Shared

/// Builds the collector: PostgreSQL client, messaging services, ingestion of `pansible.events`, the
/// dead-letter consumer, live progress over WebSocket, and `/healthz`, `/readyz`, `/metrics`, all on `ws_port`.
package func buildCollector(
    configuration: PansibleConfiguration, logger: Logger, messaging: CollectorMessaging,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), options: CollectorOptions = CollectorOptions()
) throws -> ServiceGroup {
    let client = try PostgresClient(configuration: configuration.database, logger: logger)
    let metrics = CollectorMetrics(factory: registry.metricsFactory)
    let collector = configuration.collector
    let hub = ProgressHub(source: messaging.liveSource, buffer: collector.subscriberBuffer, metrics: metrics, logger: logger)
    let store = PostgresEventStore(client: client, logger: logger)
    let onCommit: @Sendable (WriteOutcome) async -> Void = { outcome in
        let finished = outcome.finishedJobs
        if !finished.isEmpty { await hub.statusMayHaveChanged(jobs: finished) }
    }

    let router = Router(context: BasicWebSocketRequestContext.self)
    router.addOperationsRoutes(checks: [client.readinessCheck(logger: logger)] + messaging.readinessChecks, registry: registry)
    router.addProgressRoutes(
        hub: hub, store: ProgressStore(client: client, logger: logger),
        authenticator: TokenAuthenticator(adminToken: configuration.gateway.adminToken, client: client, logger: logger),
        buffer: collector.subscriberBuffer, tokenRecheck: .milliseconds(collector.tokenRecheckMilliseconds), metrics: metrics
    )
    let onServerRunning = options.onServerRunning
    let app = Application(
        router: router,
        server: .http1WebSocketUpgrade(webSocketRouter: router),
        configuration: .init(address: .hostname(collector.address.host, port: collector.address.port), serverName: "pansible-collector"),
        onServerRunning: { channel in await onServerRunning?(channel.localAddress?.port ?? 0) },
        logger: logger
    )

    var parts: [any Service] = [
        LiveFanOutService(source: messaging.liveSource, hub: hub, statusPollInterval: options.statusPollInterval, logger: logger), app,
    ]
    if options.ingest {
        parts.append(
            EventIngestionService(
                consumer: messaging.consumer, store: store, configuration: collector, metrics: metrics, logger: logger, onCommit: onCommit)
        )
        let deadLetterWriter = BatchWriter(
            store: store, metrics: metrics, logger: logger, onCommit: onCommit, shouldStop: { Task.isShuttingDownGracefully })
        parts.append(DeadLetterService(consumer: messaging.consumer, writer: deadLetterWriter, metrics: metrics, logger: logger))
        var capacity: PoolCapacity?
        if let subscriber = messaging.subscriber {
            let pools = PoolCapacity(warmUp: .zero)
            parts.append(HeartbeatListener(subscriber: subscriber, capacity: pools, logger: logger))
            capacity = pools
        }
        parts.append(
            JobSweeper(client: client, capacity: capacity, settings: .init(configuration: collector), logger: logger) { jobs in
                await hub.statusMayHaveChanged(jobs: jobs)
            })
    }
    var group = ServiceGroupConfiguration(
        services: [.init(service: client)] + messaging.services.map { .init(service: $0) } + [
            .init(service: CollectorService(client: client, parts: parts, logger: logger))
        ],
        gracefulShutdownSignals: ProcessBootstrap.shutdownSignals,
        logger: logger
    )
    // Nothing the collector holds needs long to finish (a batch not yet committed is redelivered), so a
    // shutdown that a peer holds up (a socket nobody reads) is cut short.
    group.maximumGracefulShutdownDuration = .seconds(30)
    return ServiceGroup(configuration: group)
}
