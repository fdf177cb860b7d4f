import ArgumentParser
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Prometheus
import ServiceLifecycle
import Shared

/// Hidden: ingestion throughput. Publishes a backlog of a job's events (the worker's format) with confirms,
/// then runs the collector in this process and times it until every event is stored; beside it, the raw
/// `COPY` of the same rows into an empty copy of the `events` table. Uses a fresh database (created and
/// dropped here) and expects a virtual host of its own (`--amqp-url`). Used by `scripts/bench/50-collector.sh`.
struct BenchIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-ingest", shouldDisplay: false)

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

    @Option(name: .long, help: "The broker (a virtual host of its own: its events queue is consumed).")
    var amqpURL: String = ProcessInfo.processInfo.environment["PANSIBLE_AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5672/"

    @Option(name: .long, help: "Any database of the server: a fresh one is created beside it and dropped at the end.")
    var databaseURL: String = ProcessInfo.processInfo.environment["PANSIBLE_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/pansible"

    func run() async throws {
        let logger = Self.logger
        let name = "bench_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12))"
        guard var components = URLComponents(string: databaseURL) else { throw ValidationError("--database-url: not a URL") }
        components.path = "/postgres"
        let adminURL = components.url!.absoluteString
        components.path = "/\(name)"
        let benchURL = components.url!.absoluteString

        try await Self.withClient(url: adminURL, logger: logger) {
            try await $0.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        do {
            try await measure(databaseURL: benchURL, logger: logger)
        } catch {
            try? await Self.dropDatabase(name, adminURL: adminURL, logger: logger)
            throw error
        }
        try await Self.dropDatabase(name, adminURL: adminURL, logger: logger)
    }

    private func measure(databaseURL: String, logger: Logger) async throws {
        var values = ["amqp.url": amqpURL, "database.url": databaseURL, "ws_port": "127.0.0.1:0"]
        if let collectorBatchSize { values["collector.batch_size"] = String(collectorBatchSize) }
        let configuration = try PansibleConfiguration(source: ConfigurationSource(values: values))
        let job = BenchJob(shards: shards, hosts: hosts, events: events, eventsPerBatch: batch)
        let batches = job.batches()
        let total = batches.reduce(0) { $0 + $1.events.count }
        let messages = try batches.map {
            OutgoingMessage(exchange: Topology.eventsExchange, routingKey: $0.routingKey, body: try MessageCoding.encode($0), messageID: $0.messageID)
        }
        let bytes = messages.reduce(0) { $0 + $1.body.count }

        try await Self.withClient(url: databaseURL, logger: logger) { client in
            try await Migrator(client: client, logger: logger).migrate()
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
            let messaging = try CollectorMessaging.amqp(configuration: configuration.amqp, logger: logger)
            let group = try buildCollector(
                configuration: configuration, logger: logger, messaging: messaging, registry: PrometheusCollectorRegistry())
            let ingestStart = clock.now
            let ingestTime: Duration = try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                defer { tasks.cancelAll() }
                while true {
                    if try await Self.count(client, job: job.jobUUID, logger: logger) >= total { break }
                    if clock.now - ingestStart > .seconds(600) { throw ValidationError("ingestion did not finish within 600 s") }
                    try await Task.sleep(for: .milliseconds(50))
                }
                let elapsed = clock.now - ingestStart
                await group.triggerGracefulShutdown()
                try await tasks.next()
                return elapsed
            }
            let status = try await Self.jobStatus(client, job: job.jobUUID, logger: logger)
            let ingestRate = Double(total) / Self.double(ingestTime)

            // The ceiling: the same rows, one COPY into an empty copy of the table.
            let rows = try batches.map { try IncomingBatch(batch: $0).copyText }
            try await client.query("CREATE TABLE events_copy (LIKE events INCLUDING ALL)", logger: logger)
            let copyTime: Duration = try await client.withConnection { connection in
                let start = clock.now
                try await connection.copyFrom(table: "events_copy", columns: EventRow.columns, logger: logger) { writer in
                    var buffer = ByteBuffer()
                    for text in rows {
                        buffer.writeString(text)
                        if buffer.readableBytes >= 1 << 20 {
                            try await writer.write(buffer)
                            buffer.clear()
                        }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                }
                return clock.now - start
            }
            let copyRate = Double(total) / Self.double(copyTime)
            print(
                "ingest: collector \(Int(ingestRate)) events/s (\(Self.seconds(ingestTime)) s, batch_size \(configuration.collector.batchSize), "
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

    @discardableResult
    private static func withClient<T: Sendable>(url: String, logger: Logger, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let configuration = try DatabaseConfiguration(source: ConfigurationSource(values: ["database.url": url]))
        let client = try PostgresClient(configuration: configuration, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    private static func dropDatabase(_ name: String, adminURL: String, logger: Logger) async throws {
        try await withClient(url: adminURL, logger: logger) {
            try await $0.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }

    private static func count(_ client: PostgresClient, job: UUID, logger: Logger) async throws -> Int {
        let rows = try await client.query("SELECT count(*) FROM events WHERE job_uuid = \(job)", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    private static func jobStatus(_ client: PostgresClient, job: UUID, logger: Logger) async throws -> String {
        let rows = try await client.query("SELECT status FROM jobs WHERE uuid = \(job)", logger: logger)
        for try await status in rows.decode(String.self) { return status }
        return "missing"
    }

    static func double(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func seconds(_ duration: Duration) -> String { String(format: "%.2f", double(duration)) }
}
