import Prometheus

/// The collector's own metrics, registered in the registry `/metrics` serves.
struct CollectorMetrics: Sendable {
    let eventsStored: Counter
    let eventsDuplicate: Counter
    let batchesWritten: Counter
    let writeRetries: Counter
    let poisonMessages: Counter
    let deadLetters: Counter
    let eventsIsolated: Counter
    let revokedSessions: Counter
    let subscribers: Gauge
    let laggingSubscribers: Counter

    init(registry: PrometheusCollectorRegistry) {
        func counter(_ name: String, _ help: String) -> Counter {
            registry.makeCounter(
                descriptor: MetricNameDescriptor(namespace: "pansible", subsystem: "collector", metricName: name, unitName: "total", helpText: help)
            )
        }
        eventsStored = counter("events_stored", "Events inserted into PostgreSQL.")
        eventsDuplicate = counter("events_duplicate", "Events received again and skipped (redeliveries, duplicates).")
        batchesWritten = counter("batches_written", "Committed write transactions.")
        writeRetries = counter("write_retries", "Write transactions retried after a database failure.")
        poisonMessages = counter("poison_messages", "Event messages that could not be decoded or stored, dead-lettered.")
        deadLetters = counter("dead_letters", "Messages read from the dead-letter queue.")
        eventsIsolated = counter("events_isolated", "Events the database refused, kept in dead_letters and reported on their job.")
        revokedSessions = counter("revoked_sessions", "Progress subscribers disconnected because their token was revoked.")
        laggingSubscribers = counter("lagging_subscribers", "Subscribers disconnected for falling too far behind.")
        subscribers = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "pansible", subsystem: "collector", metricName: "subscribers", unitName: "",
                helpText: "Connected WebSocket progress subscribers."
            )
        )
    }
}
