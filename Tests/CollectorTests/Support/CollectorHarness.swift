import Foundation
import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import Prometheus
import ServiceLifecycle
import Shared
import TestSupport

@testable import Collector

/// Runs collectors in the test process against a private virtual host and a fresh database.
enum CollectorHarness {
    static let adminToken = "test-admin-token"

    static var logger: Logger {
        var logger = Logger(label: "pansible.tests.collector")
        logger.logLevel = ProcessInfo.processInfo.environment["PANSIBLE_TEST_LOG"] != nil ? .debug : .critical
        return logger
    }

    static func configuration(amqpURL: String, databaseURL: URL, extra: [String: String] = [:]) throws -> PansibleConfiguration {
        var values = [
            "amqp.url": amqpURL, "database.url": databaseURL.absoluteString, "ws_port": "127.0.0.1:0", "admin_token": adminToken,
            "amqp.reconnect_max_delay": "1",
        ]
        values.merge(extra) { _, new in new }
        return try PansibleConfiguration(source: TestServices.configurationSource(values))
    }

    struct Running: Sendable {
        let port: Int
        let registry: PrometheusCollectorRegistry

        func metric(_ name: String) -> Int {
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") where line.hasPrefix(name + " ") {
                return Int(Double(line.split(separator: " ").last ?? "") ?? 0)
            }
            return 0
        }
    }

    /// Runs a collector (real AMQP messaging) for the duration of `body`, then shuts it down gracefully.
    static func withCollector<T: Sendable>(
        configuration: PansibleConfiguration, options: CollectorOptions = CollectorOptions(statusPollInterval: .milliseconds(200)),
        _ body: @Sendable (Running) async throws -> T
    ) async throws -> T {
        let registry = PrometheusCollectorRegistry()
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var options = options
        options.onServerRunning = { port in portContinuation.yield(port) }
        let messaging = try CollectorMessaging.amqp(
            configuration: configuration.amqp, livePrefetch: configuration.collector.livePrefetch, logger: logger)
        let group = try buildCollector(configuration: configuration, logger: logger, messaging: messaging, registry: registry, options: options)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            do {
                let result = try await body(Running(port: port, registry: registry))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// A publisher on the vhost, shut down after `body`.
    static func withPublisher<T: Sendable>(amqpURL: String, _ body: @Sendable (AMQPClient) async throws -> T) async throws -> T {
        let configuration = try AMQPConfiguration(source: TestServices.configurationSource(["amqp.url": amqpURL, "amqp.reconnect_max_delay": "1"]))
        let client = try AMQPClient(configuration: configuration, connectionName: "pansible-tests-publisher", logger: logger)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    static func message(_ batch: EventBatch) throws -> OutgoingMessage {
        OutgoingMessage(
            exchange: Topology.eventsExchange, routingKey: batch.routingKey, body: try MessageCoding.encode(batch), messageID: batch.messageID)
    }

    /// Runs `body` with a private vhost and a fresh migrated database.
    static func withServices<T: Sendable>(_ body: @Sendable (_ amqpURL: String, _ databaseURL: URL, _ client: PostgresClientBox) async throws -> T)
        async throws -> T
    {
        let amqpURL = try await TestServices.createVirtualHost()
        defer { TestServices.deleteVirtualHost(url: amqpURL) }
        return try await TestDatabase.with { client, url in
            try await body(amqpURL, url, PostgresClientBox(client: client))
        }
    }

    /// Everything a progress subscriber received, as text messages.
    static func subscribe(port: Int, job: UUID, token: String = adminToken, connected: (@Sendable () -> Void)? = nil) async throws -> [String] {
        let messages = NIOLockedValueBox<[String]>([])
        let url = "ws://127.0.0.1:\(port)/api/v1/job/progress/\(job.uuidString.lowercased())?token=\(token)"
        try await WebSocketClient.connect(url: url, logger: logger) { inbound, _, _ in
            connected?()
            for try await message in inbound.messages(maxSize: 1 << 24) {
                if case .text(let text) = message { messages.withLockedValue { $0.append(text) } }
            }
        }
        return messages.withLockedValue { $0 }
    }

    static func objects(_ texts: [String]) -> [[String: Any]] {
        texts.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }
}

/// A database client handed to test bodies.
struct PostgresClientBox: Sendable {
    let client: PostgresClient
}
