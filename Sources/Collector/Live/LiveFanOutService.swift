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
        let batches = try await source.batches()
        try await cancelWhenGracefulShutdown {
            try await Self.fanOut(batches, hub: hub, statusPollInterval: statusPollInterval)
        }
    }

    private static func fanOut(_ batches: AsyncThrowingStream<EventBatch, any Error>, hub: ProgressHub, statusPollInterval: Duration) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: statusPollInterval)
                    await hub.statusMayHaveChanged(jobs: await hub.watchedJobs)
                }
            }
            group.addTask {
                for try await batch in batches {
                    guard await hub.hasSubscribers(jobUUID: batch.jobUUID) else { continue }
                    let events = batch.events.map { event in
                        LiveEvent(
                            id: event.id,
                            text: ProgressMessage.text(
                                ProgressMessage.event(event, jobUUID: batch.jobUUID, shardIndex: batch.shardIndex, runID: batch.runID)
                            )
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
