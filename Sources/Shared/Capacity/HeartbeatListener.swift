import Logging
import ServiceLifecycle

/// Listens to the workers' heartbeats (`pansible.workers`, every pool) on an exclusive queue of its own and
/// keeps ``PoolCapacity`` up to date (the splitter sizes shards from it; the collector's sweeper tells when a
/// pool has no worker).
public struct HeartbeatListener: Service {
    let subscriber: any MessageSubscribing
    let capacity: PoolCapacity
    let logger: Logger

    public init(subscriber: any MessageSubscribing, capacity: PoolCapacity, logger: Logger) {
        self.subscriber = subscriber
        self.capacity = capacity
        self.logger = logger
    }

    public func run() async throws {
        let subscription = try await subscriber.subscribe(exchange: Topology.workersExchange, bindingKeys: ["#"], autoAck: true, prefetch: 0)
        for try await delivery in subscription.deliveries.cancelOnGracefulShutdown() {
            do {
                await capacity.record(try MessageCoding.decode(WorkerHeartbeat.self, from: delivery.body))
            } catch {
                logger.warning("unreadable worker heartbeat ignored", metadata: ["error": "\(error)", "amqp.routing_key": "\(delivery.routingKey)"])
            }
        }
    }
}
