import Metrics

/// The collector's own metrics, reported into the registry `/metrics` serves.
struct CollectorMetrics: Sendable {
    let eventsStored: Counter
    let eventsDuplicate: Counter
    let batchesWritten: Counter
    let writeRetries: Counter
    let poisonMessages: Counter
    let deadLetters: Counter
    let eventsIsolated: Counter
    let revokedSessions: Counter
    let subscribers: Meter
    let laggingSubscribers: Counter

    /// - Parameter factory: the process's metrics backend (its registry's `metricsFactory`).
    init(factory: any MetricsFactory) {
        // `help`: what it counts (swift-metrics carries no help text to `/metrics`).
        func counter(_ name: String, _ help: String) -> Counter {
            Counter(label: "pansible_collector_\(name)_total", factory: factory)
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
        // Connected WebSocket progress subscribers.
        subscribers = Meter(label: "pansible_collector_subscribers", factory: factory)
    }
}
