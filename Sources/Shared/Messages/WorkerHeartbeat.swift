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
    /// The machine it runs on (its host name): workers of one machine share its processors.
    public var host: String?
    /// Cores' worth of CPU the worker may use (its quota, else its processors), when its slots follow from
    /// them (`worker.concurrency: auto`); nil when its concurrency was set by hand.
    public var cpus: Double?
    /// Processors of the machine the worker may run on.
    public var machineCPUs: Int?

    public init(
        workerID: String, pool: String, slots: Int, running: Int, interval: Double, stopping: Bool = false, sentAt: Date = Date(),
        host: String? = nil, cpus: Double? = nil, machineCPUs: Int? = nil
    ) {
        self.workerID = workerID
        self.pool = pool
        self.slots = slots
        self.running = running
        self.interval = interval
        self.stopping = stopping
        self.sentAt = sentAt
        self.host = host
        self.cpus = cpus
        self.machineCPUs = machineCPUs
    }

    public var free: Int { stopping ? 0 : max(0, slots - running) }

    enum CodingKeys: String, CodingKey {
        case pool, slots, running, interval, stopping, host, cpus
        case workerID = "worker_id"
        case sentAt = "sent_at"
        case machineCPUs = "machine_cpus"
    }
}
