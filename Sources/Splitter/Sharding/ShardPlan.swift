/// How many hosts go into each shard.
///
/// `shards: N` cuts the hosts into N shards (at most one per host) whose sizes differ by at most one;
/// otherwise `shard_size: S` (default: the splitter's `shard_size`) fills shards of S hosts, the last one
/// smaller; `shard_size: 0` or `shards: 1` keeps the job whole. `shards` wins when both are given.
struct ShardPlan: Equatable {
    /// Half-open ranges of positions in the host list, in order.
    var ranges: [Range<Int>]

    enum Failure: Error, Equatable {
        case invalidShards(Int)
        case invalidShardSize(Int)
    }

    static func cut(hostCount: Int, shards: Int?, shardSize: Int?, defaultShardSize: Int) throws(Failure) -> ShardPlan {
        guard hostCount > 0 else { return ShardPlan(ranges: []) }
        if let shards {
            guard shards >= 1 else { throw .invalidShards(shards) }
            let count = min(shards, hostCount)
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
        let size = shardSize ?? defaultShardSize
        guard size >= 0 else { throw .invalidShardSize(size) }
        if size == 0 { return ShardPlan(ranges: [0..<hostCount]) }
        return ShardPlan(ranges: stride(from: 0, to: hostCount, by: size).map { $0..<min($0 + size, hostCount) })
    }
}
