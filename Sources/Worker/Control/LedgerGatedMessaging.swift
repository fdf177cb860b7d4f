import Shared

/// The worker's messaging whose shard consumer opens only once the ledger is caught up: every cancel
/// published before the worker started is known before its first shard arrives.
struct LedgerGatedMessaging: WorkerMessaging {
    let base: any WorkerMessaging
    let ledger: Ledger

    var publisher: any MessagePublishing { base.publisher }

    func shards(pool: String, prefetch: Int) async throws -> QueueConsumer {
        try await ledger.catchUp()
        return try await base.shards(pool: pool, prefetch: prefetch)
    }

    func ledger() async throws -> AsyncThrowingStream<Delivery, any Error> {
        try await base.ledger()
    }
}
