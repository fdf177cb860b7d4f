import Logging
import Shared

extension CollectorMessaging {
    /// Messaging through RabbitMQ: one AMQP client for the events queue, the dead-letter queue and the live queue.
    static func amqp(configuration: AMQPConfiguration, logger: Logger) throws -> CollectorMessaging {
        let client = try AMQPClient(configuration: configuration, connectionName: "pansible-collector", logger: logger)
        return CollectorMessaging(
            consumer: client, liveSource: AMQPLiveEventSource(subscriber: client, logger: logger), services: [client],
            readinessChecks: [ClosureReadinessCheck(name: "broker") { client.isConnected }], subscriber: client
        )
    }
}
