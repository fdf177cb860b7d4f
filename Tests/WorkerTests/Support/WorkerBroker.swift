import Foundation
import Logging
import ServiceLifecycle
import Shared
import TestSupport

@testable import Worker

/// A private RabbitMQ virtual host with Pansible's topology, a client for the test, and what arrived on
/// `pansible.events` (and `pansible.dead`).
final class WorkerBroker: Sendable {
    let url: String
    let client: AMQPClient
    let events = EventLedger()
    private let consuming: Task<Void, Never>

    static var logger: Logger {
        var logger = Logger(label: "test.worker.broker")
        logger.logLevel = ProcessInfo.processInfo.environment["PANSIBLE_TEST_LOG"] != nil ? .debug : .error
        return logger
    }

    init() async throws {
        url = try await TestServices.createVirtualHost()
        let configuration = try AMQPConfiguration(source: TestServices.configurationSource(["amqp.url": url, "amqp.reconnect_max_delay": "0.5"]))
        client = try AMQPClient(configuration: configuration, connectionName: "pansible-worker-tests", logger: Self.logger)
        let deliveries = try await client.consume(queue: Topology.eventsQueue, prefetch: 500)
        let dead = try await client.consume(queue: Topology.deadLetterQueue, prefetch: 10)
        let ledger = events
        consuming = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await delivery in deliveries {
                            if let batch = try? MessageCoding.decode(EventBatch.self, from: delivery.body) { await ledger.add(batch) }
                            try? await delivery.ack()
                        }
                    } catch {}
                }
                group.addTask {
                    do {
                        for try await delivery in dead {
                            await ledger.addDead(delivery.messageID ?? "")
                            try? await delivery.ack()
                        }
                    } catch {}
                }
            }
        }
    }

    func close() async {
        consuming.cancel()
        await client.shutdown()
        TestServices.deleteVirtualHost(url: url)
    }

    func publish(_ shard: ShardMessage) async throws {
        try await client.publish(
            OutgoingMessage(
                exchange: Topology.shardsExchange, routingKey: shard.pool, body: try MessageCoding.encode(shard), messageID: shard.messageID))
    }

    func cancel(job: UUID) async throws {
        let message = ControlMessage(action: .cancel, jobUUID: job)
        try await client.publish(
            OutgoingMessage(exchange: Topology.controlExchange, routingKey: "", body: try MessageCoding.encode(message), messageID: message.messageID)
        )
    }

    /// Whether the pool's shard queue has nothing for a new consumer within a second (the shards were acked).
    func shardQueueStaysEmpty(pool: String = "default") async throws -> Bool {
        let deliveries = try await client.consume(queue: Topology.shardsQueue(pool: pool), prefetch: 1)
        let received = Task {
            for try await delivery in deliveries {
                try? await delivery.nack(requeue: true)
                return true
            }
            return false
        }
        try await Task.sleep(for: .seconds(1))
        received.cancel()
        return await (try? received.value) != true
    }

    /// The configuration of a worker on this virtual host.
    func configuration(workDirectory: String, _ values: [String: String] = [:]) throws -> PansibleConfiguration {
        var all = ["amqp.url": url, "amqp.reconnect_max_delay": "0.5"]
        all.merge(values) { _, new in new }
        return try WorkerFixtures.configuration(workDirectory: workDirectory, all)
    }

    /// Runs an in-process worker (`buildWorker`) during `body`, then stops it gracefully.
    func withWorker<T: Sendable>(
        configuration: PansibleConfiguration, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let group = try buildWorker(configuration: configuration, logger: Self.logger)
        let running = Task { try await group.run() }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await running.value
            return result
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
    }

    /// Waits (bounded, against hangs) until `extract` finds something in the events so far.
    func wait<T: Sendable>(for what: String, seconds: Double = 300, _ extract: @Sendable ([EventBatch]) -> T?) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if let value = extract(await events.batches) { return value }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("timed out waiting for \(what)")
    }
}

/// What arrived, in arrival order.
actor EventLedger {
    private(set) var batches: [EventBatch] = []
    private(set) var dead: [String] = []

    func add(_ batch: EventBatch) { batches.append(batch) }
    func addDead(_ id: String) { dead.append(id) }

    /// Events of one run, duplicates (re-sent batches) removed, in counter order.
    func events(run: UUID) -> [PansibleEvent] {
        var seen = Set<String>()
        return batches.filter { $0.runID == run }.flatMap(\.events).filter { seen.insert($0.id).inserted }.sorted {
            ($0.counter ?? 0) < ($1.counter ?? 0)
        }
    }
}

extension [EventBatch] {
    /// The first run whose last event is `type`, with its batch context.
    func run(ending type: String, job: UUID) -> EventBatch? {
        first { $0.jobUUID == job && $0.events.contains { $0.type == type } }
    }

    func events(job: UUID, type: String) -> [(batch: EventBatch, event: PansibleEvent)] {
        filter { $0.jobUUID == job }.flatMap { batch in batch.events.filter { $0.type == type }.map { (batch, $0) } }
    }
}
