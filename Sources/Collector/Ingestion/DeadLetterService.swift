import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Consumes `pansible.dead` and keeps everything that died: each message is recorded in `dead_letters`
/// (shown as a count on its job) and acked only after that, together with its effect, is committed.
///
/// - A shard message past its delivery limit makes that shard `error` (so the job can finish as `error`), a
///   job message makes its job `error`: stored as an event of the job (`shard_error` with id
///   `shard/<i>/dead-lettered`, or `job_failed` with id `dead-lettered`), so it folds like any other event,
///   whatever the order, and a redelivered dead letter is harmless.
/// - An event batch (past its delivery limit, or refused) is stored after all: event by event where the
///   database refuses the batch, so only the bad events are lost; for those, the batch's shard gets a
///   `shard_error` "events lost: dead-lettered" (see `BatchWriter`), so the job ends instead of waiting for
///   a `shard_finished` that may have been among them.
/// - Anything else (not a pipeline message at all) is recorded, with its job when the routing key names one.
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
            await record(delivery)
        }
    }

    /// Records one dead-lettered message and its effect, then acks it.
    func record(_ delivery: Delivery, now: Date = Date()) async {
        let reason = Self.reason(of: delivery)
        if let event = Self.event(for: delivery, now: now) {
            logger.warning(
                "dead-lettered pipeline message recorded",
                metadata: [
                    "amqp.message_id": "\(delivery.messageID ?? "")", "job.uuid": "\(event.jobUUID)", "event.type": "\(event.events[0].type)",
                ]
            )
            do {
                let letter = DeadLetter(delivery: delivery, jobUUID: event.jobUUID, reason: reason)
                await writer.write([(delivery, try IncomingBatch(batch: event))], deadLetters: [letter])
            } catch {
                logger.error("could not encode a dead-letter event", metadata: ["error": "\(error)"])
            }
        } else if let batch = try? IncomingBatch.decode(delivery.body) {
            logger.warning(
                "dead-lettered event message; storing its events",
                metadata: [
                    "amqp.message_id": "\(delivery.messageID ?? "")", "job.uuid": "\(batch.jobUUID)", "events.count": "\(batch.eventCount)",
                ]
            )
            let letter = DeadLetter(delivery: delivery, jobUUID: batch.jobUUID, reason: reason)
            await writer.write([(delivery, batch)], deadLetters: [letter])
        } else {
            logger.warning(
                "dead-lettered message kept",
                metadata: [
                    "amqp.message_id": "\(delivery.messageID ?? "")", "amqp.routing_key": "\(delivery.routingKey)",
                    "amqp.exchange": "\(delivery.exchange)", "amqp.body_bytes": "\(delivery.body.count)",
                ]
            )
            let letter = DeadLetter(delivery: delivery, jobUUID: nil, reason: reason)
            switch await writer.commit([], deadLetters: [letter]) {
            case .stored, .refused:
                // Refused cannot happen for a row of bytes and names; should it, the log above keeps the message's traces.
                do {
                    try await delivery.ack()
                } catch {
                    logger.warning("could not ack a dead letter", metadata: ["error": "\(error)"])
                }
            case .stopped:
                return
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

    /// Why the message died, as kept in `dead_letters`: the broker's reason and the delivery count.
    static func reason(of delivery: Delivery) -> String {
        let why = delivery.headers["x-first-death-reason"].map { " (\($0))" } ?? ""
        return "dead-lettered after \(deliveries(of: delivery)) deliveries\(why)"
    }

    /// How often the message was delivered before it died (quorum queues count it in `x-delivery-count`).
    static func deliveries(of delivery: Delivery) -> Int {
        for key in ["x-delivery-count", "x-death-count"] {
            if let text = delivery.headers[key], let count = Int(text) { return count }
        }
        return delivery.deliveryCount + 1
    }
}
