import ArgumentParser
import Collector
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Prometheus
import ServiceLifecycle
import Shared

/// `pansible-bench-collector ingest`: ingestion throughput. Publishes a backlog of a job's events (the worker's
/// format) with confirms, then runs the collector in this process and times it until every event is stored; beside it, the raw
/// `COPY` of the same rows into an empty copy of the `events` table. Uses a fresh database (created and
/// dropped here) and expects a virtual host of its own (`--amqp-url`). Used by `scripts/bench/50-collector.sh`.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "Ingestion throughput of a collector.")

    @Option(name: .long, help: "Events to publish (about: whole tasks are generated).")
    var events: Int = 200_000

    @Option(name: .long, help: "Events per published message.")
    var batch: Int = 100

    @Option(name: .long, help: "Shards the job is split into.")
    var shards: Int = 20

    @Option(name: .long, help: "Hosts per shard.")
    var hosts: Int = 50

    @Option(name: .long, help: "The collector's collector.batch_size (default: the configuration's default).")
    var collectorBatchSize: Int?

    @Option(name: .long, help: "The collector's collector.writers (default: the configuration's default).")
    var collectorWriters: Int?

    @OptionGroup var services: BenchServices

    func run() async throws {
        let logger = Self.logger
        try await BenchDatabase.withFresh(serverURL: services.databaseURL, logger: logger) { client, url in
            try await measure(client: client, databaseURL: url, logger: logger)
        }
    }

    private func measure(client: PostgresClient, databaseURL: String, logger: Logger) async throws {
        var values = ["amqp.url": services.amqpURL, "database.url": databaseURL, "ws_port": "127.0.0.1:0"]
        if let collectorBatchSize { values["collector.batch_size"] = String(collectorBatchSize) }
        if let collectorWriters { values["collector.writers"] = String(collectorWriters) }
        let configuration = try PansibleConfiguration(source: ConfigurationSource(values: values))
        let job = BenchJob(shards: shards, hosts: hosts, events: events, eventsPerBatch: batch)
        let batches = job.batches()
        let total = batches.reduce(0) { $0 + $1.events.count }
        let messages = try batches.map {
            OutgoingMessage(exchange: Topology.eventsExchange, routingKey: $0.routingKey, body: try MessageCoding.encode($0), messageID: $0.messageID)
        }
        let bytes = messages.reduce(0) { $0 + $1.body.count }

        do {
            try await client.query("INSERT INTO jobs (uuid, env) VALUES (\(job.jobUUID), 'bench')", logger: logger)

            // The backlog, confirmed by the broker before the collector starts.
            let clock = ContinuousClock()
            let publisher = try AMQPClient(configuration: configuration.amqp, connectionName: "pansible-bench-publisher", logger: logger)
            let publishStart = clock.now
            do {
                for start in stride(from: 0, to: messages.count, by: 500) {
                    try await publisher.publish(Array(messages[start..<min(start + 500, messages.count)]))
                }
            } catch {
                await publisher.shutdown()
                throw error
            }
            let publishTime = clock.now - publishStart
            await publisher.shutdown()
            print(
                "ingest: \(total) events in \(messages.count) messages of \(batch) (\(bytes / 1_000_000) MB, \(shards) shards x \(hosts) hosts), "
                    + "published with confirms in \(Self.seconds(publishTime)) s")

            // The collector, in this process, from a standing start until count(*) reaches the total.
            // Progress is read from the collector's own committed-events counter, which costs the database
            // nothing; the table is counted once at the end.
            let messaging = try CollectorMessaging.amqp(configuration: configuration.amqp, logger: logger)
            let registry = PrometheusCollectorRegistry()
            let group = try buildCollector(configuration: configuration, logger: logger, messaging: messaging, registry: registry)
            let ingestStart = clock.now
            let ingestTime: Duration = try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                defer { tasks.cancelAll() }
                while Self.storedEvents(registry) < total {
                    if clock.now - ingestStart > .seconds(600) { throw ValidationError("ingestion did not finish within 600 s") }
                    try await Task.sleep(for: .milliseconds(10))
                }
                let elapsed = clock.now - ingestStart
                await group.triggerGracefulShutdown()
                try await tasks.next()
                return elapsed
            }
            let stored = try await BenchDatabase.count(client, job: job.jobUUID, logger: logger)
            guard stored == total else { throw ValidationError("the table holds \(stored) events, expected \(total)") }
            let status = try await BenchDatabase.jobStatus(client, job: job.jobUUID, logger: logger)
            let ingestRate = Double(total) / Self.double(ingestTime)

            // The ceiling: the same rows, one COPY into an empty copy of the table.
            let rows = try batches.map { try IncomingBatch(batch: $0) }
            try await client.query("CREATE TABLE events_copy (LIKE events INCLUDING ALL)", logger: logger)
            let copyTime: Duration = try await client.withConnection { connection in
                let start = clock.now
                try await PostgresEventStore.copy(rows, into: "events_copy", on: connection, logger: logger)
                return clock.now - start
            }
            let copyRate = Double(total) / Self.double(copyTime)
            print(
                "ingest: collector \(Int(ingestRate)) events/s (\(Self.seconds(ingestTime)) s, batch_size \(configuration.collector.batchSize), "
                    + "writers \(configuration.collector.writers), "
                    + "job \(status)), target >= 20000"
            )
            print("ingest: raw COPY \(Int(copyRate)) rows/s (\(Self.seconds(copyTime)) s)")
            print("ingest: collector / raw COPY = \(String(format: "%.2f", ingestRate / copyRate))x, target >= 0.3x")
        }
    }

    private static var logger: Logger {
        var logger = Logger(label: "pansible.bench")
        logger.logLevel = .error
        return logger
    }

    /// `pansible_collector_events_stored_total`, as `/metrics` would serve it.
    static func storedEvents(_ registry: PrometheusCollectorRegistry) -> Int {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        let prefix = "pansible_collector_events_stored_total "
        for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") where line.hasPrefix(prefix) {
            return Int(Double(line.dropFirst(prefix.count)) ?? 0)
        }
        return 0
    }

    static func double(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func seconds(_ duration: Duration) -> String { String(format: "%.2f", double(duration)) }
}
