import Logging
import Prometheus
import ServiceLifecycle
import Shared

/// The splitter process: the AMQP client, the ledger's reader (recorded splits), the splitter service and the
/// health/metrics server.
///
/// - Parameter onServerRunning: called with the operations server's port once it listens.
func buildSplitter(
    configuration: PansibleConfiguration, registry: PrometheusCollectorRegistry, logger: Logger,
    onServerRunning: (@Sendable (Int) async -> Void)? = nil
) throws -> ServiceGroup {
    let client = try AMQPClient(configuration: configuration.amqp, connectionName: "pansible-splitter", logger: logger)
    let ledger = Ledger(client: client, writer: "splitter", logger: logger)
    let settings = configuration.splitter
    let capacity = PoolCapacity(warmUp: .seconds(settings.capacityWait))
    let splitter = JobSplitter(
        sizing: ShardPlan.Sizing(
            slots: 0, shardsPerSlot: settings.shardsPerSlot, minShardSize: settings.minShardSize, maxShardSize: settings.maxShardSize,
            fallbackShardSize: settings.shardSize),
        maxForks: settings.maxForks)
    let service = SplitterService(
        consumer: client, publisher: client,
        queues: AMQPShardQueues(client: client, deliveryLimit: configuration.amqp.deliveryLimit, ledgerMaxAge: configuration.amqp.ledgerMaxAge),
        resolver: GitRevisionResolver(), splitter: splitter, capacity: capacity, ledger: ledger,
        metrics: SplitterMetrics(factory: registry.metricsFactory),
        logger: logger)
    let heartbeats = HeartbeatListener(subscriber: client, capacity: capacity, logger: logger)
    let server = OperationsServer.make(
        name: "pansible-splitter", address: configuration.splitter.address,
        checks: [ClosureReadinessCheck(name: "amqp") { client.isConnected }], registry: registry, logger: logger,
        onServerRunning: onServerRunning)
    // The client comes first so that it stops last: the service settles what it holds before the connection closes.
    return ServiceGroup(
        configuration: .init(
            services: [
                .init(service: client),
                .init(service: ledger),
                .init(service: heartbeats),
                .init(service: service, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: server),
            ],
            gracefulShutdownSignals: ProcessBootstrap.shutdownSignals,
            logger: logger))
}
