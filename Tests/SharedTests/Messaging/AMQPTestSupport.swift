import Foundation
import Logging
import TestSupport
import Testing

@testable import Shared

/// The RabbitMQ the integration tests use: `PANSIBLE_AMQP_URL` (default the local broker). The tests run when
/// `PANSIBLE_TEST_SERVICES` is set (and then fail if the broker is missing) or when the broker answers, never
/// under `make test-unit` (`PANSIBLE_TEST_SERVICES=0`).
enum AMQPTestSupport {
    static let url = URL(string: ProcessInfo.processInfo.environment["PANSIBLE_AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5672/")!

    static let enabled: Bool = {
        if TestServices.excluded { return false }
        if ProcessInfo.processInfo.environment["PANSIBLE_TEST_SERVICES"] != nil { return true }
        let port = url.port ?? 5672
        let reachable = TestServices.isListening(url: url.absoluteString)
        if !reachable {
            print("AMQP tests skipped: no RabbitMQ at \(url.host ?? "127.0.0.1"):\(port) and PANSIBLE_TEST_SERVICES is unset")
        }
        return reachable
    }()

    static func configuration(reconnectMaxDelay: Double = 1, confirmWindow: Int = 500) -> AMQPConfiguration {
        AMQPConfiguration(url: url, heartbeat: 10, confirmWindow: confirmWindow, deliveryLimit: 5, reconnectMaxDelay: reconnectMaxDelay)
    }

    static var logger: Logger {
        var logger = Logger(label: "pansible.tests.amqp")
        logger.logLevel = ProcessInfo.processInfo.environment["PANSIBLE_TEST_LOG"] != nil ? .debug : .critical
        return logger
    }

    /// A client declaring Pansible's topology, shut down after `body`.
    static func withClient<R>(
        reconnectMaxDelay: Double = 1, _ body: (AMQPClient) async throws -> R
    ) async throws -> R {
        let client = try AMQPClient(
            configuration: configuration(reconnectMaxDelay: reconnectMaxDelay), connectionName: "pansible-tests", logger: logger)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// A name no other test uses.
    static func uniqueName(_ prefix: String) -> String {
        "test.\(prefix).\(UUID().uuidString.lowercased().prefix(8))"
    }

    /// A quorum queue that the broker deletes 10 minutes after its last use, so that test runs leave nothing.
    static func testQueue(_ name: String, deliveryLimit: Int? = 5, deadLetterExchange: String? = nil) -> AMQPTopology.Queue {
        var queue = AMQPTopology.Queue.quorum(name: name, deliveryLimit: deliveryLimit, deadLetterExchange: deadLetterExchange)
        queue.arguments.append(AMQPArgument("x-expires", .int(600_000)))
        return queue
    }

    static func message(to queue: String, id: String, body: [UInt8] = Array("{}".utf8)) -> OutgoingMessage {
        OutgoingMessage(exchange: "", routingKey: queue, body: body, messageID: id)
    }
}

/// Every suite that talks to RabbitMQ, run one test at a time: the broker-restart test drops every
/// connection, and the others must not see that.
@Suite(.serialized, .enabled(if: AMQPTestSupport.enabled, "needs RabbitMQ (PANSIBLE_AMQP_URL)"))
enum AMQPIntegrationTests {}

struct TestTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `body`, failing with `TestTimeout` when it takes longer than `seconds` (a guard against hangs, not a
/// measurement).
func withTimeout<R: Sendable>(
    _ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> R
) async throws -> R {
    try await withThrowingTaskGroup(of: R.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TestTimeout(what: what)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

extension AsyncThrowingStream where Element == Delivery {
    /// Takes `count` deliveries, acking each.
    func take(_ count: Int, ack: Bool = true) async throws -> [Delivery] {
        var result: [Delivery] = []
        guard count > 0 else { return result }
        for try await delivery in self {
            if ack { try await delivery.ack() }
            result.append(delivery)
            if result.count == count { break }
        }
        return result
    }
}
