import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Shared

/// Composes the worker: a shard consumer and the ledger's reader (cancels, claims) over `messaging`, plus any
/// services the messaging needs to run (the AMQP client), in one `ServiceGroup` that stops gracefully on
/// SIGTERM/SIGINT.
///
/// `extraServices` run first and stop last, so the shard consumer can still publish and ack while it
/// finishes its running shards. `registry` is what `/metrics` on `worker.port` serves.
func buildWorker(
    configuration: PansibleConfiguration, logger: Logger, messaging: any WorkerMessaging, extraServices: [any Service] = [],
    readinessChecks: [any ReadinessCheck] = [], heartbeats: (any MessageSubscribing)? = nil,
    registry metricsRegistry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
) throws -> ServiceGroup {
    let worker = configuration.worker
    var serviceLogger = logger
    serviceLogger[metadataKey: "worker.id"] = "\(worker.workerID)"
    let registry = CancellationRegistry()
    let ledgerLogger = serviceLogger
    let ledger = Ledger(
        publisher: messaging.publisher, open: { try await messaging.ledger() }, writer: worker.workerID,
        onCancel: { job in
            ledgerLogger.notice("cancelling job", metadata: ["job.uuid": "\(job.uuidString.lowercased())"])
            await registry.beginCancel(job: job)
        }, logger: serviceLogger)
    var runner = try makeShardRunner(configuration: configuration, logger: serviceLogger, publisher: messaging.publisher, registry: registry)
    runner.ledger = ledger
    runner.localRuns = LocalRuns()
    var listeners: [ServiceGroupConfiguration.ServiceConfiguration] = []
    if let heartbeats {
        // Workers heartbeat every `worker.heartbeat_interval` or so: by 2.5 of them, every live one is known.
        let liveWorkers = PoolCapacity(warmUp: .seconds(worker.heartbeatInterval * 2.5 + 1))
        runner.liveWorkers = liveWorkers
        listeners.append(.init(service: HeartbeatListener(subscriber: heartbeats, capacity: liveWorkers, logger: serviceLogger)))
    }
    let metrics = WorkerMetrics(factory: metricsRegistry.metricsFactory)
    let running = RunningShards()
    let shards = ShardService(
        messaging: LedgerGatedMessaging(base: messaging, ledger: ledger), runner: runner, pool: worker.pool, concurrency: worker.concurrency,
        metrics: metrics, running: running,
        logger: serviceLogger)
    let heartbeat = HeartbeatService(
        publisher: messaging.publisher, workerID: worker.workerID, pool: worker.pool, slots: worker.concurrency,
        cpuCapacity: worker.cpuCapacity, interval: worker.heartbeatInterval, running: running, logger: serviceLogger)
    let operationsLogger = serviceLogger
    let operations = OperationsServer.make(
        name: "pansible-worker", address: worker.address, checks: readinessChecks, registry: metricsRegistry, logger: serviceLogger,
        onServerRunning: { port in operationsLogger.info("health and metrics listening", metadata: ["port": "\(port)"]) })
    let services: [ServiceGroupConfiguration.ServiceConfiguration] =
        extraServices.map { .init(service: $0) } + listeners + [
            // Stopped in reverse order: the shard service finishes its shards first, then the heartbeat says goodbye.
            .init(service: ledger), .init(service: operations), .init(service: heartbeat),
            .init(service: shards, successTerminationBehavior: .gracefullyShutdownGroup),
        ]
    return ServiceGroup(
        configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: ProcessBootstrap.shutdownSignals, logger: serviceLogger)
    )
}

/// The shard runner as the worker wires it (also used to run one shard from a file).
func makeShardRunner(
    configuration: PansibleConfiguration, logger: Logger, publisher: any MessagePublishing, registry: CancellationRegistry
) throws -> ShardRunner {
    let worker = configuration.worker
    let pluginDirectory = try CallbackPluginLocator.locate(configured: worker.callbackPlugins)
    let sealer = try configuration.gateway.secretKey.map { try CredentialSealer(base64Key: $0) }
    let environment = ProcessInfo.processInfo.environment
    let childEnvironment = environment.filter { !$0.key.hasPrefix("PANSIBLE_") }
    return ShardRunner(
        configuration: worker, sealer: sealer,
        repositories: RepositoryCache(
            directory: URL(fileURLWithPath: worker.workDirectory).standardizedFileURL.path + "/repos",
            environment: childEnvironment.merging(worker.environment) { _, new in new }, logger: logger),
        publisher: publisher,
        mitogen: MitogenSupport(ansiblePlaybook: worker.ansiblePlaybook, environment: childEnvironment, logger: logger),
        pluginDirectory: pluginDirectory, isolation: RunIsolation.resolve(configuration: worker), registry: registry,
        baseEnvironment: environment, logger: logger)
}

/// Finds the directory holding the callback plugin `pansible.py`.
enum CallbackPluginLocator {
    static func locate(configured: String?) throws -> String {
        var candidates: [String] = []
        if let configured {
            candidates = [configured]
        } else {
            candidates.append(FileManager.default.currentDirectoryPath + "/callback_plugins")
            let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
            // .build/<config>/pansible-worker -> the package root, or <prefix>/bin -> <prefix>/share/pansible.
            var directory = executable.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(directory.path + "/callback_plugins")
                candidates.append(directory.path + "/share/pansible/callback_plugins")
                directory = directory.deletingLastPathComponent()
            }
            candidates.append("/usr/share/pansible/callback_plugins")
        }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate + "/pansible.py") {
            return URL(fileURLWithPath: candidate).standardizedFileURL.path
        }
        throw ConfigurationError(key: "worker.callback_plugins", message: "no pansible.py in \(candidates.joined(separator: ", "))")
    }
}

/// The worker over the AMQP broker of `configuration.amqp`: declares Pansible's topology with this
/// worker's pool, consumes `pansible.shards.<pool>` and reads the `pansible.ledger` stream.
func buildWorker(
    configuration: PansibleConfiguration, logger: Logger, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
) throws -> ServiceGroup {
    let client = try AMQPClient(
        configuration: configuration.amqp,
        topology: .pansible(
            pools: [configuration.worker.pool], deliveryLimit: configuration.amqp.deliveryLimit, ledgerMaxAge: configuration.amqp.ledgerMaxAge),
        connectionName: "pansible-worker \(configuration.worker.workerID)", logger: logger)
    return try buildWorker(
        configuration: configuration, logger: logger, messaging: AMQPWorkerMessaging(client: client), extraServices: [client],
        readinessChecks: [ClosureReadinessCheck(name: "amqp") { client.isConnected }], heartbeats: client, registry: registry)
}
