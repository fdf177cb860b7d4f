import Prometheus
import Shared

/// The worker's Prometheus metrics (served on `worker.port` at `/metrics`).
struct WorkerMetrics: Sendable {
    /// Shards being run now.
    let running: Gauge
    private let finished: Counter
    private let errors: Counter
    private let canceled: Counter
    private let events: Counter
    private let undelivered: Counter

    init(registry: PrometheusCollectorRegistry) {
        func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "pansible", subsystem: "worker", metricName: metric, unitName: unit, helpText: help)
        }
        running = registry.makeGauge(descriptor: name("running_shards", "", "Shards this worker is running"))
        let runs = name("shard_runs", "total", "Shard runs by their last event")
        finished = registry.makeCounter(descriptor: runs, labels: [("result", "finished")])
        errors = registry.makeCounter(descriptor: runs, labels: [("result", "error")])
        canceled = registry.makeCounter(descriptor: runs, labels: [("result", "canceled")])
        events = registry.makeCounter(descriptor: name("events", "total", "Events of shard runs confirmed by the broker"))
        undelivered = registry.makeCounter(descriptor: name("undelivered_runs", "total", "Runs whose events could not all be confirmed"))
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
