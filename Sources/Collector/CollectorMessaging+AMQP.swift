import Logging
import Shared

extension CollectorMessaging {
    /// Messaging through RabbitMQ: one AMQP client for the events queue, the dead-letter queue and the live queue.
    /// - Parameter livePrefetch: live messages held unacknowledged at most (`collector.live_prefetch`).
    package static func amqp(configuration: AMQPConfiguration, livePrefetch: Int = 1000, logger: Logger) throws -> CollectorMessaging {
        let client = try AMQPClient(configuration: configuration, connectionName: "pansible-collector", logger: logger)
        return CollectorMessaging(
            consumer: client, liveSource: AMQPLiveEventSource(subscriber: client, prefetch: livePrefetch, logger: logger), services: [client],
            readinessChecks: [ClosureReadinessCheck(name: "broker") { client.isConnected }], subscriber: client
        )
    }
}
