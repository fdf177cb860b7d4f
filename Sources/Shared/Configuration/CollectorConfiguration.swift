/// The collector's keys.
public struct CollectorConfiguration: Sendable {
    /// `ws_port`: WebSocket progress, events, health and metrics. Default 127.0.0.1:5858.
    public var address: ListenAddress
    /// `collector.batch_size`: events per insert transaction at most. Default 1000.
    public var batchSize: Int
    /// `collector.batch_interval_ms`: longest wait before a partial batch is written. Default 20.
    public var batchIntervalMilliseconds: Int
    /// `collector.writers`: write transactions in flight at once, each on a connection of its own; a run's
    /// events always go through the same one. Default 4.
    public var writers: Int
    /// `collector.subscriber_buffer`: messages a slow WebSocket subscriber may fall behind before it is dropped. Default 10000.
    public var subscriberBuffer: Int
    /// `collector.sweep_interval`: seconds between two looks for jobs that must be ended (deadline passed, a
    /// cancel nobody answered, a pool without workers). Default 5.
    public var sweepInterval: Int
    /// `collector.cancel_grace`: seconds a cancelled job waits for its running shards to report before it is
    /// ended `canceled` anyway. Default 60.
    public var cancelGrace: Int
    /// `collector.no_worker_grace`: seconds a pool may have no live worker while a job has shards waiting for
    /// it; then the job ends `error` ("no worker serves pool …"). Default 600.
    public var noWorkerGrace: Int
    /// `collector.token_recheck_ms`: how often a live progress session checks that its token is still valid
    /// (not revoked); a revoked token's session is closed. Default 5000.
    public var tokenRecheckMilliseconds: Int
    /// `collector.live_prefetch`: live messages the collector holds unacknowledged at most; the broker keeps
    /// the rest of a burst in the collector's live queue. Default 1000.
    public var livePrefetch: Int

    public init(source: ConfigurationSource) throws {
        self.address = try source.address("ws_port", default: ListenAddress(host: "127.0.0.1", port: 5858))
        self.batchSize = try source.int("collector.batch_size", default: 1000, range: 1...100_000)
        self.batchIntervalMilliseconds = try source.int("collector.batch_interval_ms", default: 20, range: 1...60_000)
        self.writers = try source.int("collector.writers", default: 4, range: 1...64)
        self.subscriberBuffer = try source.int("collector.subscriber_buffer", default: 10_000, range: 10...10_000_000)
        self.sweepInterval = try source.int("collector.sweep_interval", default: 5, range: 1...3600)
        self.cancelGrace = try source.int("collector.cancel_grace", default: 60, range: 1...86_400)
        self.noWorkerGrace = try source.int("collector.no_worker_grace", default: 600, range: 1...604_800)
        self.tokenRecheckMilliseconds = try source.int("collector.token_recheck_ms", default: 5000, range: 10...3_600_000)
        self.livePrefetch = try source.int("collector.live_prefetch", default: 1000, range: 1...65_535)
    }
}
