import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Consumes `pansible.dead` and records what died: a shard message past its delivery limit makes that shard
/// `error` (so the job can finish as `error`), a job message makes its job `error`. Anything else is counted
/// and logged. Each message is acked after its effect is committed.
///
/// The effect is stored as an event of the job (`shard_error` with id `shard/<i>/dead-lettered`, or
/// `job_failed` with id `dead-lettered`), so it folds like any other event, whatever the order, and a
/// redelivered dead letter is harmless.
struct DeadLetterService: Service {
    let consumer: any MessageConsuming
    let writer: BatchWriter
    let metrics: CollectorMetrics
    let logger: Logger
    var queue: String = Topology.deadLetterQueue

    func run() async throws {
        let deliveries = try await consumer.consume(queue: queue, prefetch: 16)
        for try await delivery in deliveries.cancelOnGracefulShutdown() {
            metrics.deadLetters.increment()
            if let batch = Self.event(for: delivery) {
                logger.warning(
                    "dead-lettered pipeline message recorded",
                    metadata: [
                        "amqp.message_id": "\(delivery.messageID ?? "")", "job.uuid": "\(batch.jobUUID)", "event.type": "\(batch.events[0].type)",
                    ]
                )
                do {
                    await writer.write([(delivery, try IncomingBatch(batch: batch))])
                } catch {
                    logger.error("could not encode a dead-letter event", metadata: ["error": "\(error)"])
                }
            } else {
                logger.warning(
                    "dead-lettered message",
                    metadata: [
                        "amqp.message_id": "\(delivery.messageID ?? "")", "amqp.routing_key": "\(delivery.routingKey)",
                        "amqp.exchange": "\(delivery.exchange)", "amqp.body_bytes": "\(delivery.body.count)",
                    ]
                )
                do {
                    try await delivery.ack()
                } catch {
                    logger.warning("could not ack a dead letter", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// The event a dead shard or job message stands for; nil for other messages.
    static func event(for delivery: Delivery, now: Date = Date()) -> EventBatch? {
        let reason = "dead-lettered after \(deliveries(of: delivery)) deliveries"
        if let shard = try? MessageCoding.decode(ShardMessage.self, from: delivery.body) {
            let event = PansibleEvent(
                id: "shard/\(shard.index)/dead-lettered", type: PipelineEventType.shardError, timestamp: now,
                data: .object(["reason": .string(reason), "dead_lettered": .bool(true)])
            )
            return EventBatch(jobUUID: shard.jobUUID, source: "collector", shardIndex: shard.index, events: [event])
        }
        if let job = try? MessageCoding.decode(JobMessage.self, from: delivery.body) {
            let event = PansibleEvent(
                id: "dead-lettered", type: PipelineEventType.jobFailed, timestamp: now,
                data: .object(["reason": .string(reason), "dead_lettered": .bool(true)])
            )
            return EventBatch(jobUUID: job.jobUUID, source: "collector", events: [event])
        }
        return nil
    }

    /// How often the message was delivered before it died (quorum queues count it in `x-delivery-count`).
    static func deliveries(of delivery: Delivery) -> Int {
        for key in ["x-delivery-count", "x-death-count"] {
            if let text = delivery.headers[key], let count = Int(text) { return count }
        }
        return delivery.deliveryCount + 1
    }
}
