import Logging
import ServiceLifecycle
import Shared

/// Consumes the pool's shard queue and runs up to `concurrency` shards at once (the prefetch), acking each
/// shard once every event of its run is confirmed.
///
/// On graceful shutdown it stops taking shards and finishes the ones it runs; deliveries it has not
/// started go back to the queue when the channel closes. An undecodable shard is rejected (dead-lettered).
struct ShardService: Service {
    let messaging: any WorkerMessaging
    let runner: ShardRunner
    let pool: String
    let concurrency: Int
    let logger: Logger

    func run() async throws {
        let deliveries = try await messaging.shards(pool: pool, prefetch: concurrency)
        logger.info("consuming shards", metadata: ["pool": "\(pool)", "concurrency": "\(concurrency)"])
        try await withThrowingDiscardingTaskGroup { group in
            for try await delivery in deliveries.cancelOnGracefulShutdown() {
                group.addTask { await handle(delivery) }
            }
            logger.info("no longer taking shards; finishing the running ones")
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
        let outcome = await runner.run(shard, attempt: delivery.deliveryCount + 1)
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
