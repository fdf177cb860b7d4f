import Foundation
import Logging
import PostgresNIO
import Shared

/// Writes decoded batches through the store, then settles their deliveries: ack after COMMIT.
///
/// A failure that can pass (the database down or restarting, a serialization failure or deadlock, too many
/// connections, an administrator's shutdown) is waited out: the same batch is retried with backoff until it
/// commits, and nothing is acked meanwhile, so the broker keeps the backlog. Any other error from the database
/// is about the batch itself and would repeat: the batch is bisected down to the events the database refuses,
/// everything else is stored, and the refused events are kept in `dead_letters` and reported on their job
/// (a `shard_error` "events lost: dead-lettered" for their shard) before the message is acked. So one bad event
/// costs neither its neighbours nor the writer.
struct BatchWriter: Sendable {
    typealias Item = (delivery: Delivery, batch: IncomingBatch)

    let store: any EventStore
    let metrics: CollectorMetrics
    let logger: Logger
    /// Called after each commit, before returning.
    let onCommit: @Sendable (WriteOutcome) async -> Void
    /// True when the writer should give up waiting for the database (shutting down).
    let shouldStop: @Sendable () async -> Bool

    static let initialBackoff: Duration = .milliseconds(100)
    static let maximumBackoff: Duration = .seconds(5)

    /// What one transaction came to.
    enum Attempt {
        case stored(WriteOutcome)
        /// The database refused the content for good.
        case refused(any Error)
        /// Shutting down before it committed; nothing was settled.
        case stopped
    }

    /// Writes the items' events and `deadLetters` in one transaction and acks the items after COMMIT; a
    /// batch the database refuses is split as described above.
    func write(_ items: [Item], deadLetters: [DeadLetter] = []) async {
        guard !items.isEmpty || !deadLetters.isEmpty else { return }
        switch await commit(items.map(\.batch), deadLetters: deadLetters) {
        case .stopped:
            return
        case .stored(let outcome):
            for item in items {
                await settle(item.delivery, reject: false)
            }
            await onCommit(outcome)
        case .refused(let error):
            if items.count > 1 {
                logger.warning("the database refused a batch; splitting it", metadata: ["error": "\(Self.describe(error))"])
                let half = items.count / 2
                await write(Array(items[..<half]), deadLetters: deadLetters)
                await write(Array(items[half...]))
            } else if let item = items.first {
                await isolate(item, deadLetters: deadLetters, error: error)
            } else {
                logger.error("the database refused dead letters", metadata: ["error": "\(Self.describe(error))"])
            }
        }
    }

    /// One message the database refused: stores what it can of it, keeps and reports the rest, acks it.
    private func isolate(_ item: Item, deadLetters: [DeadLetter], error: any Error) async {
        let batch = item.batch
        var refused: [(index: Int, error: any Error)] = []
        if batch.eventCount > 1 {
            guard let found = await storeBisecting(batch, range: 0..<batch.eventCount) else { return }
            refused = found
        } else if batch.eventCount == 1 {
            refused = [(0, error)]
        }
        var letters = deadLetters
        for (index, error) in refused {
            let row = batch.rows[index]
            metrics.eventsIsolated.increment()
            logger.error(
                "event refused by the database; keeping it as a dead letter",
                metadata: [
                    "amqp.message_id": "\(item.delivery.messageID ?? "")", "job.uuid": "\(batch.jobUUID)", "event.id": "\(row.eventID)",
                    "event.type": "\(row.type)", "shard.index": "\(batch.shardIndex.map(String.init) ?? "")", "error": "\(Self.describe(error))",
                ]
            )
            letters.append(
                DeadLetter(
                    delivery: item.delivery, jobUUID: batch.jobUUID, eventID: row.eventID,
                    reason: "refused by the database: \(Self.describe(error))"
                )
            )
        }
        let report = Self.lossReport(of: batch, refused: refused.map { batch.rows[$0.index] })
        switch await commit(report, deadLetters: letters) {
        case .stopped:
            return
        case .stored(let outcome):
            await settle(item.delivery, reject: false)
            await onCommit(outcome)
        case .refused(let error):
            metrics.poisonMessages.increment()
            logger.error(
                "could not record refused events; dead-lettering their message",
                metadata: ["amqp.message_id": "\(item.delivery.messageID ?? "")", "error": "\(Self.describe(error))"]
            )
            await settle(item.delivery, reject: true)
        }
    }

    /// Stores the events of `range` that the database takes, halving refused parts; returns the refused
    /// events, or nil when shutting down.
    private func storeBisecting(_ batch: IncomingBatch, range: Range<Int>) async -> [(index: Int, error: any Error)]? {
        switch await commit([batch.events(in: range)], deadLetters: []) {
        case .stopped:
            return nil
        case .stored(let outcome):
            await onCommit(outcome)
            return []
        case .refused(let error):
            guard range.count > 1 else { return [(range.lowerBound, error)] }
            let middle = range.lowerBound + range.count / 2
            guard let first = await storeBisecting(batch, range: range.lowerBound..<middle),
                let second = await storeBisecting(batch, range: middle..<range.upperBound)
            else { return nil }
            return first + second
        }
    }

    /// The events that tell the job events of the batch were lost: a `shard_error` for the batch's run (or
    /// shard), or for a batch of no shard that lost a state event (the split), a `job_failed`. The ids are
    /// fixed, so several losses of one run make one report.
    static func lossReport(of batch: IncomingBatch, refused: [IncomingBatch.Row], now: Date = Date()) -> [IncomingBatch] {
        guard !refused.isEmpty else { return [] }
        let data: JSONValue = .object([
            "reason": .string(StateEvent.eventsLostReason), "events_lost": .bool(true), "dead_lettered": .bool(true),
            "event_ids": .array(refused.map { .string($0.eventID) }),
        ])
        let report: EventBatch
        if let shard = batch.shardIndex {
            let id = batch.runID.map { "shard/\(shard)/run/\($0.uuidString.lowercased())/events-lost" } ?? "shard/\(shard)/events-lost"
            report = EventBatch(
                jobUUID: batch.jobUUID, source: "collector", shardIndex: shard, runID: batch.runID, attempt: batch.attempt,
                workerID: batch.workerID, events: [PansibleEvent(id: id, type: PipelineEventType.shardError, timestamp: now, data: data)]
            )
        } else if refused.contains(where: { StateEvent.isStateType($0.type) }) {
            report = EventBatch(
                jobUUID: batch.jobUUID, source: "collector",
                events: [PansibleEvent(id: "events-lost", type: PipelineEventType.jobFailed, timestamp: now, data: data)]
            )
        } else {
            return []
        }
        return (try? IncomingBatch(batch: report)).map { [$0] } ?? []
    }

    /// Runs one write transaction, retrying it with backoff while the failure can pass.
    func commit(_ batches: [IncomingBatch], deadLetters: [DeadLetter]) async -> Attempt {
        var backoff = Self.initialBackoff
        while !Task.isCancelled {
            do {
                let outcome = try await store.write(batches, deadLetters: deadLetters)
                metrics.eventsStored.increment(by: Int64(outcome.inserted))
                metrics.eventsDuplicate.increment(by: Int64(outcome.duplicates))
                metrics.batchesWritten.increment()
                return .stored(outcome)
            } catch  where Self.isPermanent(error) {
                return .refused(error)
            } catch {
                if error is CancellationError || Task.isCancelled { return .stopped }
                metrics.writeRetries.increment()
                logger.warning(
                    "writing events failed; retrying the same batch",
                    metadata: ["error": "\(Self.describe(error))", "retry.in": "\(backoff)"]
                )
                if await shouldStop() { return .stopped }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, Self.maximumBackoff)
            }
        }
        return .stopped
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

    /// True for an error the database will give again for the same batch: any error it reports, except
    /// those of a connection, a transaction conflict, resources or an operator (see `isTransient(sqlState:)`).
    /// Errors without a SQLSTATE (connection lost, the pool's circuit breaker, a closed watch) can pass.
    static func isPermanent(_ error: any Error) -> Bool {
        guard let state = sqlState(of: error) else { return false }
        return !isTransient(sqlState: state)
    }

    /// The SQLSTATE the server answered with, also from inside a transaction's error (the body's, or a
    /// COMMIT's: a deferred constraint); nil for errors the server did not report.
    static func sqlState(of error: any Error) -> String? {
        if let error = error as? PSQLError {
            guard error.code == .server else { return nil }
            return error.serverInfo?[.sqlState]
        }
        if let error = error as? PostgresTransactionError {
            if error.beginError != nil { return nil }
            return (error.closureError ?? error.commitError).flatMap(sqlState(of:))
        }
        return nil
    }

    /// Connection exceptions (08), serialization failure and deadlock (40001, 40P01), insufficient resources
    /// (53), and an operator's or crash shutdown (57P01–57P05): the same batch can succeed later.
    static func isTransient(sqlState state: String) -> Bool {
        state.hasPrefix("08") || state == "40001" || state == "40P01" || state.hasPrefix("53") || state.hasPrefix("57P")
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError, let inner = error.closureError ?? error.commitError ?? error.beginError {
            return describe(inner)
        }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return "\(error.serverInfo?[.sqlState] ?? ""): \(message)"
            }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
