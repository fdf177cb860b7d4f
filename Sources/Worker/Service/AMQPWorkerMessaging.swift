import Shared

/// The worker's messaging over an `AMQPClient`.
struct AMQPWorkerMessaging: WorkerMessaging {
    let client: AMQPClient

    var publisher: any MessagePublishing { client }

    func shards(pool: String, prefetch: Int) async throws -> QueueConsumer {
        try await client.consumer(queue: Topology.shardsQueue(pool: pool), prefetch: prefetch)
    }

    func ledger() async throws -> AsyncThrowingStream<Delivery, any Error> {
        try await client.consume(queue: Topology.ledgerQueue, prefetch: 500, arguments: [AMQPArgument("x-stream-offset", .string("first"))])
    }
}
