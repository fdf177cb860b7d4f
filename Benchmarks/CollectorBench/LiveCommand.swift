import ArgumentParser
import Collector
import Foundation
import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import Prometheus
import Shared

/// `pansible-bench-collector live`: live progress latency. Runs the collector in this process (storing and
/// serving), connects `--subscribers` WebSocket subscribers spread over `--jobs` jobs (all of one job by default: every event goes
/// to every subscriber), then publishes the jobs' events (the worker's format and routing, messages taking
/// turns among the jobs) at `--rate` events/s and measures, for every event and subscriber, the time from just
/// before its message was published to its arrival on the socket. Beside it, in the same run, a plain AMQP consumer bound
/// to the same job measures the broker alone. Uses a fresh database and expects a virtual host of its own.
/// Used by `scripts/bench/60-live.sh`. Asserts nothing.
struct LiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "live", abstract: "Live progress latency of a collector.")

    @Option(name: .long, help: "Events per second published.")
    var rate: Int = 5000

    @Option(name: .long, help: "WebSocket subscribers, spread over the jobs.")
    var subscribers: Int = 50

    @Option(name: .long, help: "Jobs the events and subscribers are spread over.")
    var jobs: Int = 1

    @Option(name: .long, help: "Seconds of publishing measured.")
    var seconds: Int = 10

    @Option(name: .long, help: "Events per published message.")
    var batch: Int = 10

    @OptionGroup var services: BenchServices

    static let token = "bench-live-token"

    func run() async throws {
        var quiet = Logger(label: "pansible.bench")
        quiet.logLevel = .error
        let logger = quiet
        try await BenchDatabase.withFresh(serverURL: services.databaseURL, logger: logger) { client, url in
            try await measure(client: client, databaseURL: url, logger: logger)
        }
    }

    private func measure(client: PostgresClient, databaseURL: String, logger: Logger) async throws {
        let configuration = try PansibleConfiguration(
            source: ConfigurationSource(values: [
                "amqp.url": services.amqpURL, "database.url": databaseURL, "ws_port": "127.0.0.1:0", "admin_token": Self.token,
            ]))
        let jobUUIDs = (0..<max(1, jobs)).map { _ in UUID() }
        for jobUUID in jobUUIDs {
            try await client.query("INSERT INTO jobs (uuid, env) VALUES (\(jobUUID), 'bench')", logger: logger)
        }
        let total = rate * seconds
        let messages = Self.messages(jobUUIDs: jobUUIDs, events: total, perMessage: batch)
        var perJob = [Int](repeating: 0, count: jobUUIDs.count)
        for (index, first) in stride(from: 1, through: total, by: batch).enumerated() {
            perJob[index % jobUUIDs.count] += min(batch, total - first + 1)
        }
        let clock = ContinuousClock()
        let sent = LatencyRecorder.SendTimes(count: total + 1)

        let port = NIOLockedValueBox(0)
        var options = CollectorOptions()
        options.onServerRunning = { bound in port.withLockedValue { $0 = bound } }
        let group = try buildCollector(
            configuration: configuration, logger: logger,
            messaging: try CollectorMessaging.amqp(
                configuration: configuration.amqp, livePrefetch: configuration.collector.livePrefetch, logger: logger),
            registry: PrometheusCollectorRegistry(), options: options)
        let publisher = try AMQPClient(configuration: configuration.amqp, connectionName: "pansible-bench-publisher", logger: logger)
        let broker = try AMQPClient(configuration: configuration.amqp, connectionName: "pansible-bench-consumer", logger: logger)
        defer {
            Task {
                await publisher.shutdown()
                await broker.shutdown()
            }
        }

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            while port.withLockedValue({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            let boundPort = port.withLockedValue { $0 }

            // The subscribers, and the broker-alone consumer beside them.
            let recorders = (0..<subscribers).map { _ in LatencyRecorder(sent: sent, clock: clock) }
            for (index, recorder) in recorders.enumerated() {
                let job = jobUUIDs[index % jobUUIDs.count].uuidString.lowercased()
                let url = "ws://127.0.0.1:\(boundPort)/api/v1/job/progress/\(job)?token=\(Self.token)"
                tasks.addTask { try await Self.subscribe(url: url, recorder: recorder, logger: logger) }
            }
            let expected = recorders.indices.map { perJob[$0 % jobUUIDs.count] }
            let plain = LatencyRecorder(sent: sent, clock: clock)
            let subscription = try await broker.subscribe(
                exchange: Topology.eventsExchange, bindingKeys: Set(jobUUIDs.map { Topology.eventsBinding(jobUUID: $0.uuidString) }),
                autoAck: true, prefetch: 0)
            tasks.addTask {
                for try await delivery in subscription.deliveries {
                    plain.received(text: delivery.body, events: batch)
                }
            }

            // Warm-up (counter 0) until every subscriber is bound and receiving.
            var warmups = 0
            while recorders.contains(where: { $0.warmedUp == false }) || !plain.warmedUp {
                warmups += 1
                guard warmups <= 100 else { throw ValidationError("the subscribers did not start receiving within 20 s") }
                for jobUUID in jobUUIDs { try await publisher.publish(Self.warmup(jobUUID: jobUUID, number: warmups)) }
                try await Task.sleep(for: .milliseconds(200))
            }

            // Publishing on a fixed schedule: message i leaves at start + i × batch / rate. Confirms are awaited
            // beside the schedule (as a worker's publisher keeps a window of them), not before the next message.
            let interval = Duration.seconds(Double(batch) / Double(rate))
            let start = clock.now
            try await withThrowingDiscardingTaskGroup { publishes in
                for (index, message) in messages.enumerated() {
                    try await clock.sleep(until: start + interval * index)
                    sent.set(first: index * batch + 1, count: min(batch, total - index * batch), to: clock.now)
                    publishes.addTask { try await publisher.publish(message) }
                }
            }
            let publishTime = clock.now - start

            // Everything delivered (or 30 s more).
            let deadline = clock.now + .seconds(30)
            while clock.now < deadline, zip(recorders, expected).contains(where: { $0.count < $1 }) || plain.count < total {
                try await Task.sleep(for: .milliseconds(50))
            }
            await group.triggerGracefulShutdown()

            let ws = LatencyRecorder.Summary(recorders)
            let alone = LatencyRecorder.Summary([plain])
            print(
                "live: \(subscribers) WebSocket subscribers of \(jobUUIDs.count == 1 ? "one job" : "\(jobUUIDs.count) jobs"), "
                    + "\(total) events in messages of \(batch) at \(rate) events/s "
                    + "(published in \(IngestCommand.seconds(publishTime)) s), the collector storing them as well")
            print(
                "live: event -> WebSocket subscriber: p50 \(ws.milliseconds(0.50)) ms, p99 \(ws.milliseconds(0.99)) ms, "
                    + "max \(ws.milliseconds(1.0)) ms; \(ws.samples) of \(expected.reduce(0, +)) deliveries, \(ws.duplicates) duplicates; "
                    + "target p99 <= 50 ms")
            print(
                "live: event -> plain AMQP consumer (the broker alone): p50 \(alone.milliseconds(0.50)) ms, p99 \(alone.milliseconds(0.99)) ms, "
                    + "max \(alone.milliseconds(1.0)) ms; \(alone.samples) of \(total) deliveries")
        }
    }

    /// One subscriber: every text message's first `counter` is an event of the run.
    private static func subscribe(url: String, recorder: LatencyRecorder, logger: Logger) async throws {
        do {
            try await WebSocketClient.connect(url: url, logger: logger) { inbound, _, _ in
                for try await message in inbound.messages(maxSize: 1 << 24) {
                    if case .text(let text) = message { recorder.received(text: Array(text.utf8), events: 1) }
                }
            }
        } catch is CancellationError {}
    }

    /// The jobs' events, `runner_on_ok` with a command's result, counters 1…`events` across all jobs; message i
    /// belongs to job i modulo the number of jobs (one run each).
    static func messages(jobUUIDs: [UUID], events: Int, perMessage: Int) -> [OutgoingMessage] {
        let runIDs = jobUUIDs.map { _ in UUID() }
        let taskUUID = UUID().uuidString.lowercased()
        let base = Date()
        return stride(from: 1, through: events, by: perMessage).enumerated().map { index, first in
            let batch = EventBatch(
                jobUUID: jobUUIDs[index % jobUUIDs.count], source: "worker", shardIndex: 0, runID: runIDs[index % jobUUIDs.count], attempt: 1,
                workerID: "bench",
                events: (first..<min(first + perMessage, events + 1)).map { counter in
                    let host = String(format: "web%05d.dc1.example.com", counter % 1000)
                    return PansibleEvent(
                        id: UUID().uuidString.lowercased(), type: "runner_on_ok", counter: counter, parentUUID: taskUUID, host: host,
                        play: "webservers", task: "check service", taskUUID: taskUUID, taskAction: "ansible.builtin.command",
                        timestamp: base.addingTimeInterval(Double(counter) / 1000), duration: 0.0038,
                        result: BenchJob.commandResult(task: counter, fails: false), stdout: "ok: [\(host)]")
                })
            return OutgoingMessage(
                exchange: Topology.eventsExchange, routingKey: batch.routingKey, body: (try? MessageCoding.encode(batch)) ?? [],
                messageID: batch.messageID)
        }
    }

    static func warmup(jobUUID: UUID, number: Int) -> OutgoingMessage {
        let batch = EventBatch(
            jobUUID: jobUUID, source: "worker", shardIndex: 0,
            events: [PansibleEvent(id: "warmup/\(number)", type: "bench_warmup", counter: 0, timestamp: Date())])
        return OutgoingMessage(
            exchange: Topology.eventsExchange, routingKey: batch.routingKey, body: (try? MessageCoding.encode(batch)) ?? [],
            messageID: batch.messageID)
    }
}
