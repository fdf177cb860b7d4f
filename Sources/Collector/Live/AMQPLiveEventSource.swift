import Foundation
import Logging
import NIOConcurrencyHelpers
import Shared

/// The live queue on the broker: an exclusive, auto-deleted queue of this collector, bound to
/// `pansible.events` with `job.<uuid>.#` for each watched job.
///
/// Messages are acknowledged once the fan-out has handed them to the subscribers, with at most `prefetch`
/// unacknowledged: a burst waits in the broker's queue, not in this process. Live delivery is best effort by
/// design (the stored events are the record), so a message is never redelivered on purpose; should the
/// connection drop, the queue is re-created and the subscribers get what they missed from the table at the end.
final class AMQPLiveEventSource: LiveEventSource {
    private let subscriber: any MessageSubscribing
    private let prefetch: Int
    private let logger: Logger
    private let subscription = NIOLockedValueBox<Subscription?>(nil)

    init(subscriber: any MessageSubscribing, prefetch: Int, logger: Logger) {
        self.subscriber = subscriber
        self.prefetch = prefetch
        self.logger = logger
    }

    func messages() async throws -> AsyncThrowingStream<LiveMessage, any Error> {
        let subscription = try await subscriber.subscribe(exchange: Topology.eventsExchange, bindingKeys: [], autoAck: false, prefetch: prefetch)
        self.subscription.withLockedValue { $0 = subscription }
        // Unbounded here, but never holds more than `prefetch`: the broker sends no more until some are acked.
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: LiveMessage.self)
        let logger = self.logger
        let task = Task {
            do {
                for try await delivery in subscription.deliveries {
                    continuation.yield(
                        LiveMessage(body: delivery.body) {
                            do {
                                try await delivery.ack()
                            } catch {
                                // The channel is gone; its unacknowledged messages went with the old queue.
                                logger.debug("could not ack a live message", metadata: ["error": "\(error)"])
                            }
                        }
                    )
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
