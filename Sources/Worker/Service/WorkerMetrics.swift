import Metrics
import Shared

/// The worker's metrics (served on `worker.port` at `/metrics`).
struct WorkerMetrics: Sendable {
    /// Shards being run now.
    let running: Meter
    private let finished: Counter
    private let errors: Counter
    private let canceled: Counter
    private let events: Counter
    private let undelivered: Counter

    /// - Parameter factory: the process's metrics backend (its registry's `metricsFactory`).
    init(factory: any MetricsFactory) {
        // Shards this worker is running.
        running = Meter(label: "pansible_worker_running_shards", factory: factory)
        // Shard runs by their last event.
        let runs = "pansible_worker_shard_runs_total"
        finished = Counter(label: runs, dimensions: [("result", "finished")], factory: factory)
        errors = Counter(label: runs, dimensions: [("result", "error")], factory: factory)
        canceled = Counter(label: runs, dimensions: [("result", "canceled")], factory: factory)
        // Events of shard runs confirmed by the broker.
        events = Counter(label: "pansible_worker_events_total", factory: factory)
        // Runs whose events could not all be confirmed.
        undelivered = Counter(label: "pansible_worker_undelivered_runs_total", factory: factory)
    }

    func record(_ outcome: ShardRunner.Outcome) {
        // A duplicate delivery acknowledged without running is no run.
        guard outcome.finalEvent != ShardRunner.skipped else { return }
        switch outcome.finalEvent {
        case PipelineEventType.shardFinished: finished.increment()
        case PipelineEventType.shardCanceled: canceled.increment()
        default: errors.increment()
        }
        if outcome.delivered {
            events.increment(by: Int64(outcome.eventCount))
        } else {
            undelivered.increment()
        }
    }
}
