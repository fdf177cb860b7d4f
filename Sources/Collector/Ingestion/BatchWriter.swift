import Foundation
import Logging
import PostgresNIO
import Shared

/// Writes decoded batches through the store, then settles their deliveries: ack after COMMIT, reject what
/// can never be stored.
///
/// A database that is down or restarting is waited out: the same batch is retried with backoff until it
/// commits (nothing is acked meanwhile, so the broker keeps the backlog). A batch the database refuses for
/// its content (a data or constraint error) is split, and only the message that fails alone is rejected.
struct BatchWriter: Sendable {
    let store: any EventStore
    let metrics: CollectorMetrics
    let logger: Logger
    /// Called after each commit, before returning.
    let onCommit: @Sendable (WriteOutcome) async -> Void
    /// True when the writer should give up waiting for the database (shutting down).
    let shouldStop: @Sendable () async -> Bool

    static let initialBackoff: Duration = .milliseconds(100)
    static let maximumBackoff: Duration = .seconds(5)

    func write(_ items: [(delivery: Delivery, batch: IncomingBatch)]) async {
        guard !items.isEmpty else { return }
        var backoff = Self.initialBackoff
        while !Task.isCancelled {
            do {
                let outcome = try await store.write(items.map(\.batch))
                metrics.eventsStored.increment(by: Int64(outcome.inserted))
                metrics.eventsDuplicate.increment(by: Int64(outcome.duplicates))
                metrics.batchesWritten.increment()
                for item in items {
                    await settle(item.delivery, reject: false)
                }
                await onCommit(outcome)
                return
            } catch  where Self.isContentError(error) {
                if items.count > 1 {
                    logger.warning("the database refused a batch; writing its messages one by one", metadata: ["error": "\(Self.describe(error))"])
                    for item in items {
                        await write([item])
                    }
                } else if let item = items.first {
                    metrics.poisonMessages.increment()
                    logger.error(
                        "event message refused by the database; dead-lettering it",
                        metadata: [
                            "amqp.message_id": "\(item.delivery.messageID ?? "")", "job.uuid": "\(item.batch.jobUUID)",
                            "error": "\(Self.describe(error))",
                        ]
                    )
                    await settle(item.delivery, reject: true)
                }
                return
            } catch {
                if error is CancellationError || Task.isCancelled { return }
                metrics.writeRetries.increment()
                logger.warning(
                    "writing events failed; retrying the same batch",
                    metadata: ["error": "\(Self.describe(error))", "retry.in": "\(backoff)"]
                )
                if await shouldStop() { return }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, Self.maximumBackoff)
            }
        }
    }

    private func settle(_ delivery: Delivery, reject: Bool) async {
        do {
            if reject {
                try await delivery.reject()
            } else {
                try await delivery.ack()
            }
        } catch {
            // The channel is gone: the broker redelivers, and the stored rows absorb the duplicate.
            logger.warning("could not settle a delivery", metadata: ["amqp.delivery_tag": "\(delivery.deliveryTag)", "error": "\(error)"])
        }
    }

    /// True for errors about the data itself (SQLSTATE classes 22 and 23), which no retry can fix.
    static func isContentError(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, error.code == .server, let state = error.serverInfo?[.sqlState] else { return false }
        return state.hasPrefix("22") || state.hasPrefix("23")
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return "\(error.serverInfo?[.sqlState] ?? ""): \(message)"
            }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
