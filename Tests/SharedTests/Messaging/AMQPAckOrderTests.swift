import Foundation
import Testing

@testable import Shared

extension AMQPIntegrationTests {
    /// Deliveries settled out of order (a worker's long shard finishing after a short one) keep the channel.
    @Suite struct AckOrderTests {
        @Test func acksInAnyOrderKeepTheChannelOpen() async throws {
            try await AMQPTestSupport.withClient { client in
                let queue = AMQPTestSupport.uniqueName("ack-order")
                try await client.declare(AMQPTopology(queues: [AMQPTestSupport.testQueue(queue)]))
                try await client.publish((0..<6).map { AMQPTestSupport.message(to: queue, id: "m\($0)") })
                let deliveries = try await client.consume(queue: queue, prefetch: 2)
                let settled = try await withTimeout(30, "six deliveries, acked newest first") {
                    var held: [Delivery] = []
                    var seen: [String] = []
                    for try await delivery in deliveries {
                        // Redelivery would mean the channel closed: every message must arrive exactly once.
                        seen.append(delivery.messageID ?? "")
                        held.append(delivery)
                        if held.count == 2 {
                            try await held[1].ack()
                            try await Task.sleep(for: .milliseconds(50))
                            try await held[0].ack()
                            held.removeAll()
                        }
                        if seen.count == 6 { break }
                    }
                    return seen
                }
                #expect(settled == ["m0", "m1", "m2", "m3", "m4", "m5"])
                // Had the broker closed the channel on the last acks, m4 or m5 would come back before m6.
                try await client.publish(AMQPTestSupport.message(to: queue, id: "m6"))
                let next = try await withTimeout(30, "the message after") { () -> String? in
                    for try await delivery in deliveries {
                        try await delivery.ack()
                        return delivery.messageID
                    }
                    return nil
                }
                #expect(next == "m6")
            }
        }
    }
}
