import Foundation

/// A worker's announcement of itself and its free slots, published every `worker.heartbeat_interval` seconds
/// and whenever a slot is taken or freed, to the `pansible.workers` exchange (routing key: the pool).
///
/// Splitters read them to cut a job for the capacity its pool has now. Heartbeats are transient: a splitter
/// that starts learns the pool within one interval, and a worker that stops heartbeating is forgotten.
public struct WorkerHeartbeat: Codable, Sendable, Equatable {
    public var workerID: String
    public var pool: String
    /// Shards the worker runs at once.
    public var slots: Int
    /// Shards it runs now.
    public var running: Int
    /// Seconds until the next heartbeat at the latest.
    public var interval: Double
    /// The worker is shutting down and takes no more shards.
    public var stopping: Bool
    public var sentAt: Date

    public init(workerID: String, pool: String, slots: Int, running: Int, interval: Double, stopping: Bool = false, sentAt: Date = Date()) {
        self.workerID = workerID
        self.pool = pool
        self.slots = slots
        self.running = running
        self.interval = interval
        self.stopping = stopping
        self.sentAt = sentAt
    }

    public var free: Int { stopping ? 0 : max(0, slots - running) }

    enum CodingKeys: String, CodingKey {
        case pool, slots, running, interval, stopping
        case workerID = "worker_id"
        case sentAt = "sent_at"
    }
}
