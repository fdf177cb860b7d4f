import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Feeds the hub from the live queue, and asks subscribers to check their job's status periodically (a job
/// may be finished by another collector's commit).
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
        _ messages: AsyncThrowingStream<[UInt8], any Error>, hub: ProgressHub, statusPollInterval: Duration, logger: Logger
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: statusPollInterval)
                    await hub.statusMayHaveChanged(jobs: await hub.watchedJobs)
                }
            }
            group.addTask {
                for try await body in messages {
                    let batch: ScannedBatch
                    do {
                        batch = try ScannedBatch.read(body)
                    } catch {
                        // Ingestion dead-letters it; live delivery just skips it.
                        logger.debug("undecodable live event message skipped", metadata: ["error": "\(error)"])
                        continue
                    }
                    guard await hub.hasSubscribers(jobUUID: batch.jobUUID) else { continue }
                    let events = batch.events.map { event in
                        LiveEvent(
                            id: event.id,
                            text: ProgressMessage.text(
                                of: event, in: batch.body, jobUUID: batch.jobUUID, shardIndex: batch.shardIndex, runID: batch.runID)
                        )
                    }
                    await hub.deliver(jobUUID: batch.jobUUID, events: events)
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
