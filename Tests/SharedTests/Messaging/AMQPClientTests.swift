import Foundation
import Testing

@testable import Shared

extension AMQPIntegrationTests {
    @Suite struct ClientTests {
        @Test func tenThousandConfirmedMessagesAreAllConsumed() async throws {
            try await AMQPTestSupport.withClient { client in
                let queue = AMQPTestSupport.uniqueName("bulk")
                try await client.declare(AMQPTopology(queues: [AMQPTestSupport.testQueue(queue)]))
                let ids = (0..<10_000).map { "bulk/\($0)" }
                let body = [UInt8](repeating: 0x61, count: 256)
                try await client.publish(ids.map { AMQPTestSupport.message(to: queue, id: $0, body: body) })

                let deliveries = try await client.consume(queue: queue, prefetch: 200)
                // At least once: a redelivery may repeat a message, so collect until every id was seen.
                let expected = Set(ids)
                let received = try await withTimeout(180, "10,000 deliveries") {
                    var seen = Set<String>()
                    for try await delivery in deliveries {
                        seen.insert(delivery.messageID ?? "")
                        try await delivery.ack()
                        if seen.count >= expected.count { break }
                    }
                    return seen
                }
                #expect(received == expected)
            }
        }

        @Test func deliveryCarriesIDHeadersAndBody() async throws {
            try await AMQPTestSupport.withClient { client in
                let queue = AMQPTestSupport.uniqueName("fields")
                try await client.declare(AMQPTopology(queues: [AMQPTestSupport.testQueue(queue)]))
                let body = Array("{\"x\":1}".utf8) + [UInt8](repeating: 7, count: 300_000)  // spans several frames
                try await client.publish(
                    OutgoingMessage(exchange: "", routingKey: queue, body: body, messageID: "job/abc", headers: ["source": "test", "n": "2"]))
                let deliveries = try await client.consume(queue: queue, prefetch: 1)
                let delivery = try #require(try await withTimeout(30, "one delivery") { try await deliveries.take(1).first })
                #expect(delivery.messageID == "job/abc")
                #expect(delivery.body == body)
                #expect(delivery.headers["source"] == "test")
                #expect(delivery.headers["n"] == "2")
                #expect(delivery.deliveryCount == 0)
                #expect(delivery.redelivered == false)
                #expect(delivery.routingKey == queue)
            }
        }

        @Test func unroutablePublishThrows() async throws {
            try await AMQPTestSupport.withClient { client in
                let exchange = AMQPTestSupport.uniqueName("nowhere")
                try await client.declare(AMQPTopology(exchanges: [.init(name: exchange, kind: .direct)]))
                let queue = AMQPTestSupport.uniqueName("routable")
                try await client.declare(AMQPTopology(queues: [AMQPTestSupport.testQueue(queue)]))

                await #expect(throws: MessagingError.unroutable(exchange: exchange, routingKey: "x", messageID: "m/1")) {
                    try await client.publish([
                        AMQPTestSupport.message(to: queue, id: "m/0"),
                        OutgoingMessage(exchange: exchange, routingKey: "x", body: [1], messageID: "m/1"),
                    ])
                }
                await #expect(throws: MessagingError.unroutable(exchange: "", routingKey: queue + ".missing", messageID: "m/2")) {
                    try await client.publish(AMQPTestSupport.message(to: queue + ".missing", id: "m/2"))
                }
                // The routable message of the failed batch was still published, and the client still works.
                try await client.publish(AMQPTestSupport.message(to: queue, id: "m/3"))
                let deliveries = try await client.consume(queue: queue, prefetch: 10)
                let ids = try await withTimeout(30, "two deliveries") { try await deliveries.take(2).map(\.messageID) }
                #expect(ids == ["m/0", "m/3"])
            }
        }

        @Test func publishToMissingExchangeThrowsAndTheClientGoesOn() async throws {
            try await AMQPTestSupport.withClient { client in
                let queue = AMQPTestSupport.uniqueName("after-missing")
                try await client.declare(AMQPTopology(queues: [AMQPTestSupport.testQueue(queue)]))
                await #expect {
                    try await withTimeout(30, "the failed publish") {
                        try await client.publish(
                            OutgoingMessage(exchange: AMQPTestSupport.uniqueName("absent"), routingKey: "k", body: [1], messageID: "x"))
                    }
                } throws: { error in
                    if case MessagingError.broker(let text) = error { return text.contains("exchange") }
                    return false
                }
                try await client.publish(AMQPTestSupport.message(to: queue, id: "after"))
                let deliveries = try await client.consume(queue: queue, prefetch: 1)
                let ids = try await withTimeout(30, "one delivery") { try await deliveries.take(1).map(\.messageID) }
                #expect(ids == ["after"])
            }
        }

        @Test func consumingAMissingQueueOrExchangeThrows() async throws {
            try await AMQPTestSupport.withClient { client in
                let missing = AMQPTestSupport.uniqueName("missing")
                await #expect(throws: MessagingError.self) { _ = try await client.consume(queue: missing, prefetch: 1) }
                await #expect(throws: MessagingError.self) {
                    _ = try await client.subscribe(exchange: missing, bindingKeys: ["k"], autoAck: true, prefetch: 1)
                }
                // The connection is still good.
                let queue = AMQPTestSupport.uniqueName("present")
                try await client.declare(AMQPTopology(queues: [AMQPTestSupport.testQueue(queue)]))
                try await client.publish(AMQPTestSupport.message(to: queue, id: "p/1"))
                let deliveries = try await client.consume(queue: queue, prefetch: 1)
                let ids = try await withTimeout(30, "one delivery") { try await deliveries.take(1).map(\.messageID) }
                #expect(ids == ["p/1"])
            }
        }

        @Test func nackedMessageComesBackCountedThenIsDeadLettered() async throws {
            try await AMQPTestSupport.withClient { client in
                let name = AMQPTestSupport.uniqueName("limit")
                let limit = 2
                try await client.declare(
                    AMQPTopology(
                        exchanges: [.init(name: name + ".dlx", kind: .fanout)],
                        queues: [
                            AMQPTestSupport.testQueue(name + ".dead", deliveryLimit: nil),
                            AMQPTestSupport.testQueue(name, deliveryLimit: limit, deadLetterExchange: name + ".dlx"),
                        ],
                        bindings: [.init(queue: name + ".dead", exchange: name + ".dlx", key: "")]))
                try await client.publish(AMQPTestSupport.message(to: name, id: "poison/1"))

                let deliveries = try await client.consume(queue: name, prefetch: 1)
                let dead = try await client.consume(queue: name + ".dead", prefetch: 1)
                let counts = try await withTimeout(30, "the deliveries before dead-lettering") {
                    var counts: [Int] = []
                    for try await delivery in deliveries {
                        counts.append(delivery.deliveryCount)
                        #expect(delivery.redelivered == (counts.count > 1))
                        try await delivery.nack(requeue: true)
                        if counts.count == limit + 1 { break }
                    }
                    return counts
                }
                #expect(counts == Array(0...limit))
                let deadLettered = try await withTimeout(30, "the dead-lettered message") { try await dead.take(1) }
                #expect(deadLettered.map(\.messageID) == ["poison/1"])
            }
        }

        @Test func rejectedMessageIsDeadLetteredAtOnce() async throws {
            try await AMQPTestSupport.withClient { client in
                let name = AMQPTestSupport.uniqueName("reject")
                try await client.declare(
                    AMQPTopology(
                        exchanges: [.init(name: name + ".dlx", kind: .fanout)],
                        queues: [
                            AMQPTestSupport.testQueue(name + ".dead", deliveryLimit: nil),
                            AMQPTestSupport.testQueue(name, deliveryLimit: 5, deadLetterExchange: name + ".dlx"),
                        ],
                        bindings: [.init(queue: name + ".dead", exchange: name + ".dlx", key: "")]))
                try await client.publish(AMQPTestSupport.message(to: name, id: "bad/1"))
                let deliveries = try await client.consume(queue: name, prefetch: 1)
                let first = try #require(try await withTimeout(30, "the delivery") { try await deliveries.take(1, ack: false).first })
                try await first.reject()
                let dead = try await client.consume(queue: name + ".dead", prefetch: 1)
                let deadLettered = try await withTimeout(30, "the dead-lettered message") { try await dead.take(1) }
                #expect(deadLettered.map(\.messageID) == ["bad/1"])
                #expect(deadLettered.first?.headers["x-first-death-reason"] == "rejected")
            }
        }

        @Test func ackAfterTheConsumerStoppedThrowsChannelClosed() async throws {
            try await AMQPTestSupport.withClient { client in
                let queue = AMQPTestSupport.uniqueName("closed")
                try await client.declare(AMQPTopology(queues: [AMQPTestSupport.testQueue(queue)]))
                try await client.publish(AMQPTestSupport.message(to: queue, id: "c/1"))
                let deliveries = try await client.consume(queue: queue, prefetch: 1)
                let (first, firstContinuation) = AsyncStream<Delivery>.makeStream()
                let consuming = Task {
                    for try await delivery in deliveries { firstContinuation.yield(delivery) }
                }
                let delivery = try #require(try await withTimeout(30, "the delivery") { await first.first { _ in true } })
                // Cancelling the consuming task ends the stream, which cancels the consumer and closes its channel.
                consuming.cancel()
                try await withTimeout(30, "the channel to close") {
                    while (delivery.acknowledger as? AMQPAcknowledger)?.isOpen == true {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                await #expect(throws: MessagingError.channelClosed) { try await delivery.ack() }
                // The message was handed back, not acked: a new consumer gets it again, counted.
                let again = try await client.consume(queue: queue, prefetch: 1)
                let redelivered = try await withTimeout(30, "the redelivery") { try await again.take(1) }
                #expect(redelivered.map(\.messageID) == ["c/1"])
                #expect(redelivered.first?.redelivered == true)
            }
        }

        @Test func subscriptionBindingsChangeAtRuntime() async throws {
            try await AMQPTestSupport.withClient { client in
                let exchange = AMQPTestSupport.uniqueName("live")
                try await client.declare(AMQPTopology(exchanges: [.init(name: exchange, kind: .topic)]))
                let subscription = try await client.subscribe(exchange: exchange, bindingKeys: ["a.#"], autoAck: true, prefetch: 100)
                @Sendable func event(_ key: String) -> OutgoingMessage {
                    OutgoingMessage(exchange: exchange, routingKey: key, body: Array(key.utf8), messageID: key)
                }
                try await client.publish(event("a.1"))
                try await subscription.bind("b.#")
                try await client.publish(event("b.1"))
                try await subscription.unbind("a.#")
                await #expect(throws: MessagingError.unroutable(exchange: exchange, routingKey: "a.2", messageID: "a.2")) {
                    try await client.publish(event("a.2"))
                }
                try await client.publish(event("b.2"))
                let keys = try await withTimeout(30, "three deliveries") { try await subscription.deliveries.take(3).map(\.routingKey) }
                #expect(keys == ["a.1", "b.1", "b.2"])
                subscription.cancel()
                await #expect(throws: MessagingError.unroutable(exchange: exchange, routingKey: "b.3", messageID: "b.3")) {
                    try await withTimeout(30, "the publish after cancel") { try await client.publish(event("b.3")) }
                }
            }
        }

        @Test func topologyIsDeclaredAtStartAndReady() async throws {
            try await AMQPTestSupport.withClient { client in
                // Declaring the same topology again is a no-op, and routing reaches the queues it names.
                try await client.declare(.pansible(pools: ["default"], deliveryLimit: 5))
                #expect(client.isConnected)
                let subscription = try await client.subscribe(
                    exchange: Topology.controlExchange, bindingKeys: [""], autoAck: true, prefetch: 10)
                let id = UUID().uuidString
                try await client.publish(OutgoingMessage(exchange: Topology.controlExchange, routingKey: "", body: [1], messageID: id))
                let ids = try await withTimeout(30, "the control message") {
                    var ids: [String?] = []
                    for try await delivery in subscription.deliveries {
                        ids.append(delivery.messageID)
                        if delivery.messageID == id { break }
                    }
                    return ids
                }
                #expect(ids.last == id)
            }
        }
    }
}
