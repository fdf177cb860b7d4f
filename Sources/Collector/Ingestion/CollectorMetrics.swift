import Prometheus

/// The collector's own metrics, registered in the registry `/metrics` serves.
struct CollectorMetrics: Sendable {
    let eventsStored: Counter
    let eventsDuplicate: Counter
    let batchesWritten: Counter
    let writeRetries: Counter
    let poisonMessages: Counter
    let deadLetters: Counter
    let subscribers: Gauge
    let laggingSubscribers: Counter

    init(registry: PrometheusCollectorRegistry) {
        eventsStored = registry.makeCounter(name: "pansible_collector_events_stored_total", help: "Events inserted into PostgreSQL.")
        eventsDuplicate = registry.makeCounter(
            name: "pansible_collector_events_duplicate_total", help: "Events received again and skipped (redeliveries, duplicates)."
        )
        batchesWritten = registry.makeCounter(name: "pansible_collector_batches_written_total", help: "Committed write transactions.")
        writeRetries = registry.makeCounter(
            name: "pansible_collector_write_retries_total", help: "Write transactions retried after a database failure."
        )
        poisonMessages = registry.makeCounter(
            name: "pansible_collector_poison_messages_total", help: "Event messages that could not be decoded or stored, dead-lettered."
        )
        deadLetters = registry.makeCounter(name: "pansible_collector_dead_letters_total", help: "Messages read from the dead-letter queue.")
        subscribers = registry.makeGauge(name: "pansible_collector_subscribers", help: "Connected WebSocket progress subscribers.")
        laggingSubscribers = registry.makeCounter(
            name: "pansible_collector_lagging_subscribers_total", help: "Subscribers disconnected for falling too far behind."
        )
    }
}
