import Foundation
import Testing

@testable import Shared

/// Stops and starts the broker (`make test` runs suites named *RestartTests alone).
extension AMQPIntegrationTests {
    @Suite struct AbandonedPublishRestartTests {
        @Test func anAbandonedPublishIsNotSentAfterTheConnectionComesBack() async throws {
            try await AMQPTestSupport.withClient(reconnectMaxDelay: 0.5) { client in
                let queue = AMQPTestSupport.uniqueName("abandoned")
                try await client.declare(AMQPTopology(queues: [AMQPTestSupport.testQueue(queue)]))
                try await BrokerControl.run("stop-rabbitmq")
                do {
                    // The client holds the message while the broker is away; the caller gives up on it.
                    let outcome = PublishOutcome()
                    let publishing = Task {
                        do {
                            try await client.publish(AMQPTestSupport.message(to: queue, id: "abandoned/1"))
                            await outcome.set(nil)
                        } catch {
                            await outcome.set(error)
                        }
                    }
                    try await Task.sleep(for: .milliseconds(300))
                    publishing.cancel()
                    // Polled rather than awaited: a publish that ignored the cancel would never return here.
                    let deadline = ContinuousClock.now + .seconds(30)
                    while await !outcome.isSet, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                    guard await outcome.isSet else { throw TestTimeout(what: "the cancelled publish to return") }
                    #expect(await outcome.error as? MessagingError == .abandoned)
                } catch {
                    try await BrokerControl.run("start-rabbitmq")
                    throw error
                }
                try await BrokerControl.run("start-rabbitmq")

                try await withTimeout(120, "the client to publish after the restart") {
                    try await client.publish(AMQPTestSupport.message(to: queue, id: "after/1"))
                }
                let deliveries = try await client.consume(queue: queue, prefetch: 10)
                let received = Task {
                    var ids: [String] = []
                    do {
                        for try await delivery in deliveries {
                            ids.append(delivery.messageID ?? "")
                            try? await delivery.ack()
                        }
                    } catch {}
                    return ids
                }
                try await Task.sleep(for: .seconds(2))
                received.cancel()
                #expect(await received.value == ["after/1"])
            }
        }
    }
}

/// How a publish ended, once it has.
actor PublishOutcome {
    private(set) var isSet = false
    private(set) var error: (any Error)?
    func set(_ error: (any Error)?) {
        isSet = true
        self.error = error
    }
}
