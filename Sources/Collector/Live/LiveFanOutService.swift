import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Feeds the hub from the live queue, and asks subscribers to check their job's status periodically (a job
/// may be finished by another collector's commit).
///
/// Each message is acknowledged once handed to the subscribers (which never waits on them: each has a bounded
/// buffer), so the messages held here are bounded by `collector.live_prefetch`.
struct LiveFanOutService: Service {
    let source: any LiveEventSource
    let hub: ProgressHub
    let statusPollInterval: Duration
    let logger: Logger

    func run() async throws {
        let messages = try await source.messages()
        let logger = self.logger
        try await cancelWhenGracefulShutdown {
            try await Self.fanOut(messages, hub: hub, statusPollInterval: statusPollInterval, logger: logger)
        }
    }

    private static func fanOut(
        _ messages: AsyncThrowingStream<LiveMessage, any Error>, hub: ProgressHub, statusPollInterval: Duration, logger: Logger
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: statusPollInterval)
                    await hub.statusMayHaveChanged(jobs: await hub.watchedJobs)
                }
            }
            group.addTask {
                for try await message in messages {
                    await deliver(message.body, to: hub, logger: logger)
                    await message.acknowledge()
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Renders a message's events and hands them to the job's subscribers, if it has any.
    static func deliver(_ body: [UInt8], to hub: ProgressHub, logger: Logger) async {
        let batch: ScannedBatch
        do {
            batch = try ScannedBatch.read(body)
        } catch {
            // Ingestion dead-letters it; live delivery just skips it.
            logger.debug("undecodable live event message skipped", metadata: ["error": "\(error)"])
            return
        }
        guard await hub.hasSubscribers(jobUUID: batch.jobUUID) else { return }
        let events = batch.events.map { event in
            LiveEvent(
                id: event.id, runID: batch.runID, counter: event.counter,
                text: ProgressMessage.text(of: event, in: batch.body, jobUUID: batch.jobUUID, shardIndex: batch.shardIndex, runID: batch.runID)
            )
        }
        await hub.deliver(jobUUID: batch.jobUUID, events: events)
    }
}
