import Foundation
import NIOConcurrencyHelpers
import Shared

@testable import Collector

/// Records how deliveries were settled.
final class RecordingAcknowledger: DeliveryAcknowledging {
    enum Settlement: Equatable {
        case ack, reject, requeue
    }

    private let state = NIOLockedValueBox<[UInt64: Settlement]>([:])

    var settlements: [UInt64: Settlement] { state.withLockedValue { $0 } }

    func ack(_ delivery: Delivery, multiple: Bool) async throws {
        state.withLockedValue { settled in
            if multiple {
                for tag in 1...delivery.deliveryTag where settled[tag] == nil { settled[tag] = .ack }
            } else {
                settled[delivery.deliveryTag] = .ack
            }
        }
    }

    func nack(_ delivery: Delivery, requeue: Bool) async throws {
        state.withLockedValue { $0[delivery.deliveryTag] = requeue ? .requeue : .reject }
    }
}

/// An in-process stand-in for the broker's event path: a consumer of queued messages, and live queues that
/// receive a job's batches once bound.
final class InProcessEventBus: MessageConsuming, Sendable {
    let acknowledger = RecordingAcknowledger()
    private let queues = NIOLockedValueBox<[String: AsyncThrowingStream<Delivery, any Error>.Continuation]>([:])
    private let streams = NIOLockedValueBox<[String: AsyncThrowingStream<Delivery, any Error>]>([:])
    private let nextTag = NIOLockedValueBox<UInt64>(0)
    private let liveSources = NIOLockedValueBox<[InProcessLiveSource]>([])

    init() {
        for queue in [Topology.eventsQueue, Topology.deadLetterQueue] {
            let (stream, continuation) = AsyncThrowingStream.makeStream(of: Delivery.self)
            queues.withLockedValue { $0[queue] = continuation }
            streams.withLockedValue { $0[queue] = stream }
        }
    }

    func consume(queue: String, prefetch: Int) async throws -> AsyncThrowingStream<Delivery, any Error> {
        guard let stream = streams.withLockedValue({ $0.removeValue(forKey: queue) }) else {
            throw MessagingError.broker("queue \(queue) already consumed")
        }
        return stream
    }

    func liveSource() -> InProcessLiveSource {
        let source = InProcessLiveSource()
        liveSources.withLockedValue { $0.append(source) }
        return source
    }

    /// Publishes a raw message to a queue; returns its delivery tag.
    @discardableResult
    func enqueue(_ body: [UInt8], queue: String = Topology.eventsQueue, messageID: String? = nil) -> UInt64 {
        let tag = nextTag.withLockedValue { tag in
            tag += 1
            return tag
        }
        let delivery = Delivery(
            body: body, messageID: messageID, exchange: Topology.eventsExchange, routingKey: "job", deliveryTag: tag, deliveryCount: 0,
            redelivered: false, headers: [:], acknowledger: acknowledger
        )
        _ = queues.withLockedValue { $0[queue] }?.yield(delivery)
        return tag
    }

    /// Publishes a batch: to the events queue, and to every live queue bound to its job.
    @discardableResult
    func publish(_ batch: EventBatch, toQueue: Bool = true) throws -> UInt64? {
        for source in liveSources.withLockedValue({ $0 }) { source.offer(batch) }
        return toQueue ? enqueue(try MessageCoding.encode(batch), messageID: batch.messageID) : nil
    }

    func finish() {
        for continuation in queues.withLockedValue({ Array($0.values) }) { continuation.finish() }
        for source in liveSources.withLockedValue({ $0 }) { source.finish() }
    }
}

/// A live queue: receives the batches of bound jobs.
final class InProcessLiveSource: LiveEventSource {
    private let bound = NIOLockedValueBox<Set<UUID>>([])
    private let stream: AsyncThrowingStream<LiveMessage, any Error>
    private let continuation: AsyncThrowingStream<LiveMessage, any Error>.Continuation

    init() {
        (stream, continuation) = AsyncThrowingStream.makeStream(of: LiveMessage.self)
    }

    func messages() async throws -> AsyncThrowingStream<LiveMessage, any Error> { stream }
    func bind(jobUUID: UUID) async throws { bound.withLockedValue { _ = $0.insert(jobUUID) } }
    func unbind(jobUUID: UUID) async throws { bound.withLockedValue { _ = $0.remove(jobUUID) } }

    var boundJobs: Set<UUID> { bound.withLockedValue { $0 } }

    func offer(_ batch: EventBatch) {
        if bound.withLockedValue({ $0.contains(batch.jobUUID) }), let body = try? MessageCoding.encode(batch) {
            continuation.yield(LiveMessage(body: body))
        }
    }

    func finish() { continuation.finish() }
}
