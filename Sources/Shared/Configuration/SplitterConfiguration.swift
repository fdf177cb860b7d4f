/// The `splitter` section.
public struct SplitterConfiguration: Sendable {
    /// `splitter.port`: health and metrics. Default 127.0.0.1:5959.
    public var address: ListenAddress
    /// `splitter.shard_size`: hosts per shard when a job sets neither `shard_size` nor `shards`. Default 50.
    public var shardSize: Int

    public init(source: ConfigurationSource) throws {
        self.address = try source.address("splitter.port", default: ListenAddress(host: "127.0.0.1", port: 5959))
        self.shardSize = try source.int("splitter.shard_size", default: 50, range: 1...1_000_000)
    }
}
