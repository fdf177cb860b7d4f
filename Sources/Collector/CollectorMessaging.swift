import ServiceLifecycle
import Shared

/// The broker side of a collector: the consumer of the events and dead-letter queues, the live queue, and
/// whatever services keep them running (the AMQP client).
package struct CollectorMessaging: Sendable {
    var consumer: any MessageConsuming
    var liveSource: any LiveEventSource
    /// Run before the collector's own services, and shut down after them.
    var services: [any Service]
    var readinessChecks: [any ReadinessCheck]
    /// Where the workers' heartbeats are heard (the sweeper's no-worker rule); nil: that rule is off.
    var subscriber: (any MessageSubscribing)? = nil
}

/// Knobs a deployment never needs but tests and benchmarks do.
package struct CollectorOptions: Sendable {
    /// False runs a collector that only serves progress (it stores nothing).
    package var ingest: Bool
    /// How often subscribers look at their job's stored status (another collector may finish it).
    package var statusPollInterval: Duration
    /// Called with the bound port once the WebSocket server listens.
    package var onServerRunning: (@Sendable (Int) async -> Void)?

    package init(
        ingest: Bool = true, statusPollInterval: Duration = .seconds(1), onServerRunning: (@Sendable (Int) async -> Void)? = nil
    ) {
        self.ingest = ingest
        self.statusPollInterval = statusPollInterval
        self.onServerRunning = onServerRunning
    }
}
