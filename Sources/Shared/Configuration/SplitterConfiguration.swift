/// The `splitter` section.
public struct SplitterConfiguration: Sendable {
    /// `splitter.port`: health and metrics. Default 127.0.0.1:5959.
    public var address: ListenAddress
    /// `splitter.shard_size`: hosts per shard when a job sets neither `shard_size` nor `shards` and no live
    /// worker of its pool is known. Default 50.
    public var shardSize: Int
    /// `splitter.min_shard_size`: a job cut for its pool's capacity gets no shard under this many hosts (unless
    /// it has fewer), so per-shard start-up stays small. Default 10.
    public var minShardSize: Int
    /// `splitter.max_shard_size`: nor one over this many. Default 1000.
    public var maxShardSize: Int
    /// `splitter.shards_per_slot`: shards per live worker slot. Default 1.
    public var shardsPerSlot: Int
    /// `splitter.max_forks`: forks of a shard whose job sets none: one per host up to this. Default 50.
    public var maxForks: Int
    /// `splitter.capacity_wait`: seconds a splitter that just started listens to heartbeats before it decides
    /// that a pool has no worker. Default 3.
    public var capacityWait: Double

    public init(source: ConfigurationSource) throws {
        self.address = try source.address("splitter.port", default: ListenAddress(host: "127.0.0.1", port: 5959))
        self.shardSize = try source.int("splitter.shard_size", default: 50, range: 1...1_000_000)
        self.minShardSize = try source.int("splitter.min_shard_size", default: 10, range: 1...1_000_000)
        self.maxShardSize = try source.int("splitter.max_shard_size", default: 1000, range: 1...1_000_000)
        guard maxShardSize >= minShardSize else {
            throw ConfigurationError(key: "splitter.max_shard_size", message: "must be at least splitter.min_shard_size (\(minShardSize))")
        }
        self.shardsPerSlot = try source.int("splitter.shards_per_slot", default: 1, range: 1...100)
        self.maxForks = try source.int("splitter.max_forks", default: 50, range: 1...1000)
        self.capacityWait = try source.double("splitter.capacity_wait", default: 3)
    }
}
