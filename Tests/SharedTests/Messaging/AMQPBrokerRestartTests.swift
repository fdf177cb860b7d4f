import Foundation
import TestSupport
import Testing

@testable import Shared

/// Restarts the broker (`scripts/services.sh stop-rabbitmq` / `start-rabbitmq`): every other test using the
/// same broker at that moment sees its connection drop, so this suite runs alone.
extension AMQPIntegrationTests {
    @Suite struct BrokerRestartTests {
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

                // A delivery held unacknowledged across the restart.
                let heldQueue = AMQPTestSupport.uniqueName("restart-held")
                try await client.declare(AMQPTopology(queues: [AMQPTestSupport.testQueue(heldQueue)]))
                try await client.publish(AMQPTestSupport.message(to: heldQueue, id: "held/1"))
                let (held, heldContinuation) = AsyncStream<Delivery>.makeStream()
                let heldDeliveries = try await client.consume(queue: heldQueue, prefetch: 1)
                let holding = Task {
                    for try await delivery in heldDeliveries { heldContinuation.yield(delivery) }
                }
                defer { holding.cancel() }
                var heldIterator = held.makeAsyncIterator()
                let before = try #require(await heldIterator.next())

                let ledger = Ledger()
                let deliveries = try await client.consume(queue: queue, prefetch: 100)
                let consuming = Task {
                    for try await delivery in deliveries {
                        await ledger.consume(delivery.messageID ?? "")
                        do {
                            try await delivery.ack()
                        } catch MessagingError.channelClosed {
                            // Delivered on the connection that died: the broker delivers it again.
                        }
                    }
                }
                defer { consuming.cancel() }

                let restarted = RestartFlag()
                let publishing = Task {
                    var batch = 0
                    var afterRestart = 0
                    // Keep publishing through the outage, and ten more batches once the broker is back.
                    while afterRestart < 10 {
                        if await restarted.isDone { afterRestart += 1 }
                        let ids = (0..<100).map { "restart/\(batch)/\($0)" }
                        try await client.publish(ids.map { AMQPTestSupport.message(to: queue, id: $0) })
                        await ledger.confirm(ids)
                        batch += 1
                    }
                    return batch
                }

                try await Task.sleep(for: .milliseconds(300))
                try await BrokerControl.run("stop-rabbitmq")
                try await Task.sleep(for: .seconds(1))
                try await BrokerControl.run("start-rabbitmq")
                await restarted.set()

                let batches = try await withTimeout(120, "publishing to recover") { try await publishing.value }
                #expect(batches > 10)
                try await withTimeout(120, "every confirmed message to be consumed") {
                    while await !ledger.missing().isEmpty { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(await ledger.missing().isEmpty)
                #expect(client.isConnected)

                // The exclusive queue was re-created with its binding, on the same stream.
                try await client.publish(OutgoingMessage(exchange: exchange, routingKey: "job.1.event", body: [1], messageID: "live/1"))
                let live = try await withTimeout(30, "the live message") { try await subscription.deliveries.take(1).map(\.messageID) }
                #expect(live == ["live/1"])

                // The delivery from the dead connection cannot be acked; the broker delivers it again.
                await #expect(throws: MessagingError.channelClosed) { try await before.ack() }
                let after = try #require(await heldIterator.next())
                #expect(after.messageID == "held/1")
                #expect(after.redelivered)
                try await after.ack()
            }
        }
    }
}

actor RestartFlag {
    private(set) var isDone = false
    func set() { isDone = true }
}

/// Runs `scripts/services.sh` against the test broker's port.
enum BrokerControl {
    static func run(_ action: String) async throws {
        try await TestServices.runServicesScript([action])
    }
}
