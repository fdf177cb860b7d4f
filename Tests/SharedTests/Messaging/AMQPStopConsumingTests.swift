import Foundation
import Testing

@testable import Shared

extension AMQPIntegrationTests {
    /// `QueueConsumer.stopConsuming()`: the broker sends nothing more, the stream ends after what it had sent,
    /// and the channel stays open so those deliveries can still be acked or handed back once.
    @Suite struct StopConsumingTests {
        @Test func stoppedConsumerSettlesWhatItHeldAndGetsNothingMore() async throws {
            try await AMQPTestSupport.withClient { client in
                let queue = AMQPTestSupport.uniqueName("stop")
                try await client.declare(AMQPTopology(queues: [AMQPTestSupport.testQueue(queue)]))
                for index in 1...5 { try await client.publish(AMQPTestSupport.message(to: queue, id: "s/\(index)")) }

                let consumer = try await client.consumer(queue: queue, prefetch: 3)
                let held = try await withTimeout(30, "the prefetched deliveries") { try await consumer.deliveries.take(3, ack: false) }
                consumer.stopConsuming()
                // The stream ends: nothing was sent after the three it held.
                let after = try await withTimeout(30, "the stream to end") { try await consumer.deliveries.take(5, ack: false) }
                #expect(after.isEmpty)

                // The channel is still open: the first is acked, the other two go back to the queue.
                try await held[0].ack()
                try await held[1].nack(requeue: true)
                try await held[2].nack(requeue: true)
                let other = try await client.consume(queue: queue, prefetch: 10)
                let rest = try await withTimeout(30, "the other consumer's deliveries") { try await other.take(4) }
                #expect(Set(rest.compactMap(\.messageID)) == Set(["s/2", "s/3", "s/4", "s/5"]))
                // Handed back once each, not in a loop.
                #expect(rest.filter { ["s/2", "s/3"].contains($0.messageID) }.allSatisfy { $0.deliveryCount == 1 })
                #expect(rest.filter { ["s/4", "s/5"].contains($0.messageID) }.allSatisfy { $0.deliveryCount == 0 })
            }
        }
    }
}
