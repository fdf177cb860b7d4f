import Foundation
import Logging
import NIOConcurrencyHelpers
import Shared

/// The live queue on the broker: an exclusive, auto-deleted queue of this collector, bound to
/// `pansible.events` with `job.<uuid>.#` for each watched job. Messages are auto-acked: live delivery is best
/// effort by design, the stored events are the record (a subscriber that misses one gets it at the end from
/// the table).
final class AMQPLiveEventSource: LiveEventSource {
    private let subscriber: any MessageSubscribing
    private let logger: Logger
    private let subscription = NIOLockedValueBox<Subscription?>(nil)

    init(subscriber: any MessageSubscribing, logger: Logger) {
        self.subscriber = subscriber
        self.logger = logger
    }

    func messages() async throws -> AsyncThrowingStream<[UInt8], any Error> {
        let subscription = try await subscriber.subscribe(exchange: Topology.eventsExchange, bindingKeys: [], autoAck: true, prefetch: 0)
        self.subscription.withLockedValue { $0 = subscription }
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
        let task = Task {
            do {
                for try await delivery in subscription.deliveries {
                    continuation.yield(delivery.body)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in
            task.cancel()
            subscription.cancel()
        }
        return stream
    }

    func bind(jobUUID: UUID) async throws {
        try await current().bind(Topology.eventsBinding(jobUUID: jobUUID.uuidString))
    }

    func unbind(jobUUID: UUID) async throws {
        try await current().unbind(Topology.eventsBinding(jobUUID: jobUUID.uuidString))
    }

    private func current() async throws -> Subscription {
        // The fan-out service subscribes at start; a WebSocket can only arrive a moment later.
        for _ in 0..<100 {
            if let subscription = subscription.withLockedValue({ $0 }) { return subscription }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw MessagingError.broker("the live queue is not subscribed")
    }
}
