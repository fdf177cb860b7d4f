import Logging
import Prometheus
import ServiceLifecycle
import Shared

/// The splitter process: the AMQP client, the splitter service and the health/metrics server.
///
/// - Parameter onServerRunning: called with the operations server's port once it listens.
func buildSplitter(
    configuration: PansibleConfiguration, registry: PrometheusCollectorRegistry, logger: Logger,
    onServerRunning: (@Sendable (Int) async -> Void)? = nil
) throws -> ServiceGroup {
    let client = try AMQPClient(configuration: configuration.amqp, connectionName: "pansible-splitter", logger: logger)
    let service = SplitterService(
        consumer: client, publisher: client, queues: AMQPShardQueues(client: client, deliveryLimit: configuration.amqp.deliveryLimit),
        resolver: GitRevisionResolver(), splitter: JobSplitter(defaultShardSize: configuration.splitter.shardSize), logger: logger)
    let server = OperationsServer.make(
        name: "pansible-splitter", address: configuration.splitter.address,
        checks: [ClosureReadinessCheck(name: "amqp") { client.isConnected }], registry: registry, logger: logger,
        onServerRunning: onServerRunning)
    // The client comes first so that it stops last: the service settles what it holds before the connection closes.
    return ServiceGroup(
        configuration: .init(
            services: [
                .init(service: client),
                .init(service: service, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: server),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
}
