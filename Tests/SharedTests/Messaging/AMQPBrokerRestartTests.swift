import Foundation
import Testing

@testable import Shared

/// Restarts the broker (`scripts/services.sh stop-rabbitmq` / `start-rabbitmq`): every other test using the
/// same broker at that moment sees its connection drop, so this suite runs alone.
@Suite(.serialized, .enabled(if: AMQPTestSupport.enabled, "needs RabbitMQ (PANSIBLE_AMQP_URL)"))
struct AMQPBrokerRestartTests {
    /// Thread-safe record of what the test saw.
    actor Ledger {
        var confirmed: Set<String> = []
        var consumed: Set<String> = []
        func confirm(_ ids: [String]) { confirmed.formUnion(ids) }
        func consume(_ id: String) { consumed.insert(id) }
        func missing() -> Set<String> { confirmed.subtracting(consumed) }
    }

    @Test func brokerRestartWhilePublishingLosesNothingConfirmedAndRecovers() async throws {
        try await AMQPTestSupport.withClient(reconnectMaxDelay: 0.5) { client in
            let queue = AMQPTestSupport.uniqueName("restart")
            let exchange = AMQPTestSupport.uniqueName("restart-live")
            try await client.declare(
                AMQPTopology(exchanges: [.init(name: exchange, kind: .topic)], queues: [AMQPTestSupport.testQueue(queue)]))
            let subscription = try await client.subscribe(exchange: exchange, bindingKeys: ["job.1.#"], autoAck: true, prefetch: 10)

            let ledger = Ledger()
            let deliveries = try await client.consume(queue: queue, prefetch: 100)
            let consuming = Task {
                for try await delivery in deliveries {
                    await ledger.consume(delivery.messageID ?? "")
                    try await delivery.ack()
                }
            }
            defer { consuming.cancel() }

            let restarted = RestartFlag()
            let publishing = Task {
                var batch = 0
                // Keep publishing through the outage, and some more after the broker is back.
                while await !restarted.isDone || batch % 10 != 0 {
                    let ids = (0..<100).map { "restart/\(batch)/\($0)" }
                    try await client.publish(ids.map { AMQPTestSupport.message(to: queue, id: $0) })
                    await ledger.confirm(ids)
                    batch += 1
                }
                return batch
            }

            try await Task.sleep(for: .milliseconds(300))
            try BrokerControl.run("stop-rabbitmq")
            try await Task.sleep(for: .seconds(1))
            try BrokerControl.run("start-rabbitmq")
            await restarted.set()

            let batches = try await withTimeout(120, "publishing to recover") { try await publishing.value }
            #expect(batches >= 10)
            try await withTimeout(120, "every confirmed message to be consumed") {
                while await !ledger.missing().isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(await ledger.missing().isEmpty)
            #expect(client.isConnected)

            // The exclusive queue was re-created with its binding, on the same stream.
            try await client.publish(OutgoingMessage(exchange: exchange, routingKey: "job.1.event", body: [1], messageID: "live/1"))
            let live = try await withTimeout(30, "the live message") { try await subscription.deliveries.take(1).map(\.messageID) }
            #expect(live == ["live/1"])
        }
    }
}

actor RestartFlag {
    private(set) var isDone = false
    func set() { isDone = true }
}

/// Runs `scripts/services.sh` against the test broker's port.
enum BrokerControl {
    static func run(_ action: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("scripts/services.sh").path, action]
        var environment = ProcessInfo.processInfo.environment
        environment["AMQP_PORT"] = String(AMQPTestSupport.url.port ?? 5672)
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MessagingError.broker("scripts/services.sh \(action) exited with \(process.terminationStatus)")
        }
    }
}
