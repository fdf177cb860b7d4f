/// Names of the broker's exchanges and queues.
///
/// - `pansible.jobs` (direct) → quorum queue `pansible.jobs` (routing key `job`).
/// - `pansible.shards` (direct, routing key = pool) → quorum queue `pansible.shards.<pool>` per pool.
/// - `pansible.events` (topic, `job.<uuid>.<source>`) → quorum queue `pansible.events` (`job.#`), plus each
///   collector's exclusive live queue bound per watched job.
/// - `pansible.control` (fanout) and `pansible.ledger` (fanout) → stream `pansible.ledger`: the pipeline's
///   durable ledger of cancels, shard claims and completions, and job splits (see `LedgerRecord`), read by every
///   worker and splitter from its start (within `amqp.ledger_max_age`).
/// - `pansible.workers` (topic, routing key = pool) → each splitter's exclusive queue: workers' heartbeats.
/// - `pansible.dlx` (fanout) → quorum queue `pansible.dead`: messages past the delivery limit or rejected.
public enum Topology {
    public static let jobsExchange = "pansible.jobs"
    public static let shardsExchange = "pansible.shards"
    public static let eventsExchange = "pansible.events"
    public static let controlExchange = "pansible.control"
    public static let workersExchange = "pansible.workers"
    public static let deadLetterExchange = "pansible.dlx"
    public static let ledgerExchange = "pansible.ledger"

    public static let jobsQueue = "pansible.jobs"
    public static let jobsRoutingKey = "job"
    public static let eventsQueue = "pansible.events"
    public static let deadLetterQueue = "pansible.dead"
    public static let defaultPool = "default"
    public static let ledgerQueue = "pansible.ledger"
    /// How long the ledger keeps its records unless `amqp.ledger_max_age` says otherwise.
    public static let defaultLedgerMaxAge = "7D"

    public static func shardsQueue(pool: String) -> String { "pansible.shards.\(pool)" }

    /// Binding key for every event of one job.
    public static func eventsBinding(jobUUID: String) -> String { "job.\(jobUUID.lowercased()).#" }
}
