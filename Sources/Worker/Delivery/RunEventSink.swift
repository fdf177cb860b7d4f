import Foundation
import Logging
import Shared

/// Publishes the events of one run, in order, as `EventBatch` messages with publisher confirms.
///
/// A batch closes at `batchSize` events or `batchInterval` after its first event arrived, whichever comes
/// first; one batch is in flight at a time, so batches (and events) reach the broker in order. A batch that
/// fails (broker away, connection dropped) is retried with the same content, hence the same message id,
/// with backoff and without limit, while the run goes on appending. The caller bounds memory by pausing
/// its reads (`backlog`) while the broker is away: unread events wait in the run's events file.
actor RunEventSink {
    private let publisher: any MessagePublishing
    private let template: EventBatch
    private let batchSize: Int
    private let batchInterval: Duration
    private let logger: Logger
    private var pending: [PansibleEvent] = []
    private var firstPendingAt: ContinuousClock.Instant?
    private var closed = false
    private var publishing: Task<Void, Never>?
    private(set) var publishedEvents = 0
    private(set) var publishedBatches = 0

    init(
        publisher: any MessagePublishing, jobUUID: UUID, shardIndex: Int, runID: UUID, attempt: Int, workerID: String, batchSize: Int,
        batchInterval: Duration, logger: Logger
    ) {
        self.publisher = publisher
        self.template = EventBatch(
            jobUUID: jobUUID, source: "worker", shardIndex: shardIndex, runID: runID, attempt: attempt, workerID: workerID, events: [])
        self.batchSize = batchSize
        self.batchInterval = batchInterval
        self.logger = logger
    }

    func start() {
        guard publishing == nil else { return }
        publishing = Task { await self.publishLoop() }
    }

    func append(_ events: [PansibleEvent]) {
        guard !events.isEmpty else { return }
        precondition(!closed, "events appended after the run's sink was closed")
        if pending.isEmpty { firstPendingAt = .now }
        pending.append(contentsOf: events)
    }

    /// Events appended but not yet confirmed.
    var backlog: Int { pending.count }

    /// No more events will come; returns once every event is confirmed by the broker (true), or when the
    /// task is cancelled first (false: the shard must not be acknowledged).
    func closeAndWait() async -> Bool {
        closed = true
        start()
        let task = publishing
        await withTaskCancellationHandler {
            await task?.value
        } onCancel: {
            task?.cancel()
        }
        return pending.isEmpty
    }

    private func publishLoop() async {
        var failures = 0
        while !Task.isCancelled {
            if pending.isEmpty {
                if closed { return }
                try? await Task.sleep(for: batchInterval)
                continue
            }
            if pending.count < batchSize, !closed, let first = firstPendingAt {
                let due = first + batchInterval
                if ContinuousClock.now < due {
                    try? await Task.sleep(until: min(due, .now + batchInterval))
                    continue
                }
            }
            var batch = template
            batch.events = Array(pending.prefix(batchSize))
            do {
                let body = try MessageCoding.encode(batch)
                try await publisher.publish(
                    OutgoingMessage(exchange: Topology.eventsExchange, routingKey: batch.routingKey, body: body, messageID: batch.messageID))
                pending.removeFirst(batch.events.count)
                firstPendingAt = pending.isEmpty ? nil : .now
                publishedEvents += batch.events.count
                publishedBatches += 1
                if failures > 0 {
                    logger.notice("events delivered again after broker errors", metadata: ["retries": "\(failures)"])
                }
                failures = 0
            } catch {
                failures += 1
                let delay = min(100 * (1 << min(failures, 6)), 5000)
                if failures == 1 || failures % 20 == 0 {
                    logger.warning(
                        "cannot publish events, retrying",
                        metadata: ["error": "\(error)", "retries": "\(failures)", "events.pending": "\(pending.count)"])
                }
                try? await Task.sleep(for: .milliseconds(delay))
            }
        }
    }
}
