import Metrics

/// The splitter's metrics (served on `splitter.port` at `/metrics`).
struct SplitterMetrics: Sendable {
    /// Jobs split and their shards published.
    let jobsSplit: Counter
    /// Jobs that could not be split (a `job_failed` event).
    let jobsFailed: Counter
    /// Shard messages published.
    let shardsPublished: Counter

    /// - Parameter factory: the process's metrics backend (its registry's `metricsFactory`).
    init(factory: any MetricsFactory) {
        jobsSplit = Counter(label: "pansible_splitter_jobs_split_total", factory: factory)
        jobsFailed = Counter(label: "pansible_splitter_jobs_failed_total", factory: factory)
        shardsPublished = Counter(label: "pansible_splitter_shards_published_total", factory: factory)
    }
}
