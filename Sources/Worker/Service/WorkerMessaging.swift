import Shared

/// The broker as the worker sees it: publish events, consume its pool's shards and read the ledger.
protocol WorkerMessaging: Sendable {
    var publisher: any MessagePublishing { get }
    /// Deliveries of `pansible.shards.<pool>` with at most `prefetch` unacknowledged, and the handle that
    /// stops taking them while the running shards can still be acked.
    func shards(pool: String, prefetch: Int) async throws -> QueueConsumer
    /// Deliveries of the `pansible.ledger` stream from its first record (see `Ledger`).
    func ledger() async throws -> AsyncThrowingStream<Delivery, any Error>
}
