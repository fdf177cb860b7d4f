import Logging
import ServiceLifecycle
import Shared

/// Consumes the pool's shard queue and runs up to `concurrency` shards at once (the prefetch), acking each
/// shard once every event of its run is confirmed.
///
/// On graceful shutdown it cancels its consumer at the broker, so no shard comes any more, hands back once
/// (nack with requeue) the shards the broker had already sent it, and finishes the ones it runs; the
/// consumer's channel, which their acks need, stays open until the last one is settled. Shards it hands
/// back go to the other workers; a draining worker still obeys cancels (the control consumer stops after
/// this service). An undecodable shard is rejected (dead-lettered).
struct ShardService: Service {
    let messaging: any WorkerMessaging
    let runner: ShardRunner
    let pool: String
    let concurrency: Int
    let metrics: WorkerMetrics
    /// Shared with the heartbeat, which announces the free slots.
    let running: RunningShards
    let logger: Logger

    func run() async throws {
        // Runs left behind by a worker that crashed on this work directory (their credentials included).
        RunDirectory.removeStale(workDirectory: runner.configuration.workDirectory, logger: logger)
        let consumer = try await messaging.shards(pool: pool, prefetch: concurrency)
        await running.open()
        logger.info("consuming shards", metadata: ["pool": "\(pool)", "concurrency": "\(concurrency)"])
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                // Ends once the deliveries end (the consumer was stopped, or the client shut down) and every
                // shard taken is settled.
                try await withThrowingDiscardingTaskGroup { shards in
                    for try await delivery in consumer.deliveries {
                        guard await running.tryStart() else {
                            // Sent before the broker took the cancel: back to the queue once, for another worker.
                            try? await delivery.nack(requeue: true)
                            continue
                        }
                        shards.addTask {
                            await handle(delivery)
                            await running.finish()
                        }
                    }
                }
                return true
            }
            group.addTask {
                try await gracefulShutdown()
                logger.info("no longer taking shards; finishing the running ones")
                await running.stop()
                // Cancelled at the broker, not closed: the running shards' acks need the channel.
                consumer.stopConsuming()
                return false
            }
            while let consumed = try await group.next(), !consumed {}
            group.cancelAll()
        }
    }

    func handle(_ delivery: Delivery) async {
        let shard: ShardMessage
        do {
            shard = try MessageCoding.decode(ShardMessage.self, from: delivery.body)
        } catch {
            logger.error(
                "undecodable shard message rejected",
                metadata: ["amqp.message_id": "\(delivery.messageID ?? "")", "error": "\(error)"])
            do { try await delivery.reject() } catch { logger.warning("cannot reject a shard message", metadata: ["error": "\(error)"]) }
            return
        }
        metrics.running.increment()
        let outcome = await runner.run(shard, attempt: delivery.deliveryCount + 1)
        metrics.running.decrement()
        metrics.record(outcome)
        do {
            if outcome.delivered {
                try await delivery.ack()
            } else {
                try await delivery.nack(requeue: true)
            }
        } catch {
            // The channel is gone: the broker redelivers the shard and its next run supersedes this one.
            logger.warning(
                "cannot settle a shard delivery",
                metadata: ["job.uuid": "\(shard.jobUUID.uuidString.lowercased())", "shard.index": "\(shard.index)", "error": "\(error)"])
        }
    }
}
