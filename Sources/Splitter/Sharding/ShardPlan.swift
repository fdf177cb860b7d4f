/// How many hosts go into each shard.
///
/// - `shards: N` cuts the hosts into N shards (at most one per host) whose sizes differ by at most one.
/// - `shard_size: S` fills shards of S hosts, the last one smaller; `shard_size: 0` or `shards: 1` keeps the
///   job whole. `shards` wins when both are given.
/// - Neither: the pool's capacity decides (``Sizing``): one shard per live slot (times `shardsPerSlot`), no
///   shard under `minShardSize` hosts nor over `maxShardSize`, sizes differing by at most one — so every slot
///   gets work and they all finish together. With no live worker known, shards of `fallbackShardSize`.
struct ShardPlan: Equatable {
    /// Half-open ranges of positions in the host list, in order.
    var ranges: [Range<Int>]

    enum Failure: Error, Equatable {
        case invalidShards(Int)
        case invalidShardSize(Int)
    }

    /// The splitter's rules for a job that sets no shard option.
    struct Sizing: Sendable, Equatable {
        /// Slots of the pool's live workers; 0 when none is known.
        var slots: Int
        /// Shards per slot: above 1, faster slots take more shards (smaller shards, less tail, more start-ups).
        var shardsPerSlot: Int = 1
        /// Hosts a shard holds at least (unless the job has fewer), so per-shard start-up stays small.
        var minShardSize: Int = 10
        /// Hosts a shard holds at most, which bounds what a lost shard costs to run again.
        var maxShardSize: Int = 1000
        /// Hosts per shard when no live worker is known (`splitter.shard_size`).
        var fallbackShardSize: Int = 50
    }

    static func cut(hostCount: Int, shards: Int?, shardSize: Int?, sizing: Sizing) throws(Failure) -> ShardPlan {
        guard hostCount > 0 else { return ShardPlan(ranges: []) }
        if let shards {
            guard shards >= 1 else { throw .invalidShards(shards) }
            return even(hostCount: hostCount, count: shards)
        }
        if let shardSize {
            return try fixed(hostCount: hostCount, size: shardSize)
        }
        guard sizing.slots > 0 else { return try fixed(hostCount: hostCount, size: sizing.fallbackShardSize) }
        let bySlots = sizing.slots * max(1, sizing.shardsPerSlot)
        let atMostByFloor = max(1, hostCount / max(1, sizing.minShardSize))
        let atLeastByCeiling = (hostCount + max(1, sizing.maxShardSize) - 1) / max(1, sizing.maxShardSize)
        return even(hostCount: hostCount, count: max(min(bySlots, atMostByFloor), atLeastByCeiling))
    }

    /// `count` shards (at most one per host) whose sizes differ by at most one.
    private static func even(hostCount: Int, count requested: Int) -> ShardPlan {
        let count = min(requested, hostCount)
        let base = hostCount / count
        let extra = hostCount % count
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(count)
        var start = 0
        for index in 0..<count {
            let size = base + (index < extra ? 1 : 0)
            ranges.append(start..<(start + size))
            start += size
        }
        return ShardPlan(ranges: ranges)
    }

    /// Shards of `size` hosts, the last one smaller; 0 keeps the job whole.
    private static func fixed(hostCount: Int, size: Int) throws(Failure) -> ShardPlan {
        guard size >= 0 else { throw .invalidShardSize(size) }
        if size == 0 { return ShardPlan(ranges: [0..<hostCount]) }
        return ShardPlan(ranges: stride(from: 0, to: hostCount, by: size).map { $0..<min($0 + size, hostCount) })
    }
}
