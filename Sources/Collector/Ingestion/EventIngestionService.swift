import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Consumes `pansible.events` and stores every event exactly once.
///
/// Several collectors may consume the queue side by side (competing consumers). Each message is decoded as it
/// arrives and handed to one of `collector.writers` writers, always the same one for a run (so a run's events
/// keep their order in `seq`); each writer takes batches of up to `batch_size` events (or whatever arrived
/// within `batch_interval_ms`), writes each in one transaction on a connection of its own and acks its
/// messages after COMMIT. A message that is not a valid event batch is rejected (dead-lettered) and counted.
///
/// On graceful shutdown the consumer stops taking messages, the writer finishes what it holds and returns;
/// anything not acked is redelivered by the broker.
struct EventIngestionService: Service {
    let consumer: any MessageConsuming
    let writer: @Sendable (_ shouldStop: @escaping @Sendable () async -> Bool) -> BatchWriter
    let batchSize: Int
    let batchInterval: Duration
    let writers: Int
    let metrics: CollectorMetrics
    let logger: Logger
    var queue: String = Topology.eventsQueue

    init(
        consumer: any MessageConsuming, store: any EventStore, configuration: CollectorConfiguration, metrics: CollectorMetrics, logger: Logger,
        onCommit: @escaping @Sendable (WriteOutcome) async -> Void
    ) {
        self.consumer = consumer
        self.batchSize = configuration.batchSize
        self.batchInterval = .milliseconds(configuration.batchIntervalMilliseconds)
        self.writers = configuration.writers
        self.metrics = metrics
        self.logger = logger
        self.writer = { shouldStop in
            BatchWriter(store: store, metrics: metrics, logger: logger, onCommit: onCommit, shouldStop: shouldStop)
        }
    }

    /// Messages unacknowledged at once: enough for a full batch per writer even when each message holds one event.
    var prefetch: Int { batchSize * writers }

    func run() async throws {
        let batchers = (0..<writers).map { _ in DeliveryBatcher(maxEvents: batchSize, interval: batchInterval) }
        let deliveries = try await consumer.consume(queue: queue, prefetch: prefetch)
        logger.info(
            "consuming events",
            metadata: [
                "amqp.queue": "\(queue)", "amqp.prefetch": "\(prefetch)", "collector.batch_size": "\(batchSize)", "collector.writers": "\(writers)",
            ])
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await Self.pump(deliveries, into: batchers, metrics: metrics, logger: logger)
                }
                await withTaskGroup(of: Void.self) { writing in
                    for batcher in batchers {
                        let writer = self.writer { await batcher.isFinished }
                        writing.addTask { await Self.drain(batcher, through: writer, metrics: metrics, logger: logger) }
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            Task { for batcher in batchers { await batcher.finish() } }
        }
        logger.info("stopped consuming events", metadata: ["amqp.queue": "\(queue)"])
    }

    /// One writer: the batcher's batches, written one after the other.
    static func drain(_ batcher: DeliveryBatcher, through writer: BatchWriter, metrics: CollectorMetrics, logger: Logger) async {
        while let items = await batcher.nextBatch() {
            var valid: [(delivery: Delivery, batch: IncomingBatch)] = []
            for item in items {
                switch item.content {
                case .success(let batch): valid.append((item.delivery, batch))
                case .failure(let poison): await reject(item.delivery, poison: poison, metrics: metrics, logger: logger)
                }
            }
            await writer.write(valid)
        }
    }

    /// The writer of a message: the same for every message of a run (of a job, without a run).
    static func partition(of content: Result<IncomingBatch, PoisonMessage>, writers: Int) -> Int {
        guard writers > 1, case .success(let batch) = content else { return 0 }
        let key = batch.runID ?? batch.jobUUID
        return Int(UInt(bitPattern: key.hashValue) % UInt(writers))
    }

    /// Decodes deliveries as they come and hands them to the batcher.
    static func pump(
        _ deliveries: AsyncThrowingStream<Delivery, any Error>, into batchers: [DeliveryBatcher], metrics: CollectorMetrics, logger: Logger
    ) async {
        do {
            for try await delivery in deliveries {
                let content: Result<IncomingBatch, PoisonMessage>
                do {
                    content = .success(try IncomingBatch.decode(delivery.body))
                } catch let poison as PoisonMessage {
                    content = .failure(poison)
                } catch {
                    content = .failure(PoisonMessage(reason: "\(error)"))
                }
                let batcher = batchers[partition(of: content, writers: batchers.count)]
                await batcher.add(DeliveryBatcher.Item(delivery: delivery, content: content, arrived: .now))
            }
        } catch {
            logger.error("the event consumer failed", metadata: ["error": "\(error)"])
        }
        for batcher in batchers { await batcher.finish() }
    }

    static func reject(_ delivery: Delivery, poison: PoisonMessage, metrics: CollectorMetrics, logger: Logger) async {
        metrics.poisonMessages.increment()
        logger.error(
            "undecodable event message; dead-lettering it",
            metadata: ["amqp.message_id": "\(delivery.messageID ?? "")", "amqp.routing_key": "\(delivery.routingKey)", "error": "\(poison.reason)"]
        )
        do {
            try await delivery.reject()
        } catch {
            logger.warning("could not reject a delivery", metadata: ["amqp.delivery_tag": "\(delivery.deliveryTag)", "error": "\(error)"])
        }
    }
}
