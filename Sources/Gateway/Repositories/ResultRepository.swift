import Foundation

/// What the collector stored about a job's run.
protocol ResultRepository: Sendable {
    /// The seed's per-host result as JSON text (`{}` for a job not split yet).
    func result(uuid: UUID) async throws -> String
    /// Stored events in arrival order.
    func events(uuid: UUID, _ query: EventQuery) async throws -> [StoredEvent]
    /// What Ansible printed for each event of each shard's current run (or of shard `shard` only), shard by shard
    /// in index order, in `counter` order.
    func log(uuid: UUID, shard: Int?) async throws -> [LogChunk]
}
