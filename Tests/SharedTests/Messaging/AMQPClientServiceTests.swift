import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import Shared

extension AMQPIntegrationTests {
    @Suite struct ServiceTests {
        @Test func gracefulShutdownEndsConsumersAndRefusesLaterWork() async throws {
            let client = try AMQPClient(configuration: AMQPTestSupport.configuration(), logger: AMQPTestSupport.logger)
            let group = ServiceGroup(
                configuration: .init(services: [.init(service: client)], logger: AMQPTestSupport.logger))
            let running = Task { try await group.run() }

            let queue = AMQPTestSupport.uniqueName("service")
            try await client.declare(AMQPTopology(queues: [AMQPTestSupport.testQueue(queue)]))
            try await client.publish(AMQPTestSupport.message(to: queue, id: "s/1"))
            let deliveries = try await client.consume(queue: queue, prefetch: 1)
            let (received, receivedContinuation) = AsyncStream<Void>.makeStream()
            let consuming = Task {
                var ids: [String?] = []
                for try await delivery in deliveries {
                    ids.append(delivery.messageID)
                    try await delivery.ack()
                    receivedContinuation.yield()
                }
                return ids
            }
            try await withTimeout(30, "the first delivery") { await received.first { _ in true } }
            #expect(client.isConnected)

            await group.triggerGracefulShutdown()
            try await withTimeout(120, "the service group to stop") { try await running.value }
            // The stream ended without an error once the client stopped.
            let ids = try await withTimeout(120, "the consumer to end") { try await consuming.value }
            #expect(ids == ["s/1"])
            #expect(!client.isConnected)
            await #expect(throws: MessagingError.shutdown) {
                try await client.publish(AMQPTestSupport.message(to: queue, id: "s/2"))
            }
        }
    }
}
