import Foundation
import Logging
import Shared

/// What a delivery must pass before its shard runs: at most one run per delivery attempt across the pool,
/// no run of a shard that finished already, no run past the job's deadline.
extension ShardRunner {
    /// `finalEvent` of a delivery acknowledged without running and without events (a duplicate).
    static let skipped = "skipped"

    /// Runs `body` once no other run of the shard is in progress in this worker (see `LocalRuns`).
    func exclusively(_ shard: ShardMessage, attempt: Int, _ body: () async -> Outcome) async -> Outcome {
        guard let localRuns else { return await body() }
        while await !localRuns.begin(shard.messageID) {
            logger.notice(
                "shard delivered again while it runs here; waiting for that run",
                metadata: [
                    "job.uuid": "\(shard.jobUUID.uuidString.lowercased())", "shard.index": "\(shard.index)", "run.attempt": "\(attempt)",
                ])
            await localRuns.waitForEnd(shard.messageID)
        }
        let outcome = await body()
        await localRuns.end(shard.messageID)
        return outcome
    }

    /// Settles the deliveries that must not run; nil when the shard runs.
    ///
    /// The claim (see `Ledger.claim`) goes first: reading it back also brings every cancel published before
    /// it into the registry, so a shard of a job cancelled while no worker ran is reported cancelled here.
    func admit(_ shard: ShardMessage, attempt: Int, runID: UUID) async -> Outcome? {
        var logger = self.logger
        logger[metadataKey: "job.uuid"] = "\(shard.jobUUID.uuidString.lowercased())"
        logger[metadataKey: "shard.index"] = "\(shard.index)"
        logger[metadataKey: "run.id"] = "\(runID.uuidString.lowercased())"
        logger[metadataKey: "run.attempt"] = "\(attempt)"
        if let ledger {
            do {
                switch try await ledger.claim(shard: shard.messageID, attempt: attempt, runID: runID) {
                case .won:
                    if await earlierRunEnded(shard, attempt: attempt, ledger: ledger, logger: logger) {
                        logger.notice("delivery of a shard that another worker finished meanwhile acknowledged without running")
                        return Outcome(finalEvent: Self.skipped, exitCode: nil, delivered: true, runID: runID, eventCount: 0)
                    }
                case .lost(let winner, let worker):
                    logger.notice(
                        "duplicate shard delivery acknowledged without running",
                        metadata: ["claim.run_id": "\(winner?.uuidString.lowercased() ?? "")", "claim.worker": "\(worker)"])
                    return Outcome(finalEvent: Self.skipped, exitCode: nil, delivered: true, runID: runID, eventCount: 0)
                case .done:
                    logger.notice("delivery of a finished shard acknowledged without running")
                    return Outcome(finalEvent: Self.skipped, exitCode: nil, delivered: true, runID: runID, eventCount: 0)
                }
            } catch {
                logger.warning("cannot claim the shard; handing it back", metadata: ["error": "\(error)"])
                return Outcome(finalEvent: Self.skipped, exitCode: nil, delivered: false, runID: runID, eventCount: 0)
            }
        }
        // A cancelled job's shard is reported cancelled (by the run) rather than late.
        if let deadline = shard.deadline, deadline <= Date(), await !registry.isCanceled(shard.jobUUID) {
            logger.notice("shard past its job's deadline acknowledged without running", metadata: ["job.deadline": "\(deadline)"])
            return await report(
                shard, attempt: attempt, runID: runID, final: PipelineEventType.shardError, suffix: "error",
                reason: "the job's deadline passed before this shard started", logger: logger)
        }
        return nil
    }

    /// A delivery the broker hands out again while the worker that claimed an earlier attempt still runs it
    /// (its connection dropped mid-run, so its delivery went back to the queue) must not run beside it: waits
    /// while that worker is alive (its heartbeats) and the shard is not done, at most the shard's timeout and
    /// stop graces. Returns true when the shard was finished meanwhile (nothing left to run).
    func earlierRunEnded(_ shard: ShardMessage, attempt: Int, ledger: Ledger, logger: Logger) async -> Bool {
        guard let liveWorkers, attempt > 1 else { return false }
        let others = Set(await ledger.earlierClaims(shard: shard.messageID, before: attempt).map(\.writer)).subtracting([configuration.workerID])
        guard !others.isEmpty else { return false }
        let timeout = shard.options.timeout.flatMap { $0 > 0 ? $0 : nil } ?? configuration.timeout
        let limit = ContinuousClock.now + .seconds(Double(timeout) + configuration.cancelGrace + configuration.killGrace + 10)
        var told = false
        while ContinuousClock.now < limit {
            if await ledger.isDone(shard: shard.messageID) { return true }
            var alive: [String] = []
            for worker in others where await liveWorkers.isLive(workerID: worker) { alive.append(worker) }
            // Until every live worker has had time to be heard from, silence proves nothing.
            let warm = await liveWorkers.isWarm()
            guard !alive.isEmpty || !warm else { return false }
            if !told && !alive.isEmpty {
                logger.notice(
                    "shard delivered again while a live worker runs an earlier attempt; waiting for it",
                    metadata: ["claim.workers": "\(alive.sorted().joined(separator: ","))"])
                told = true
            }
            try? await Task.sleep(for: .milliseconds(250))
            if Task.isCancelled { return false }
        }
        logger.warning("an earlier attempt's worker is still alive after the shard's time limit; running the shard")
        return await ledger.isDone(shard: shard.messageID)
    }

    /// Records the shard done once every event of its run is confirmed, before its delivery is acknowledged.
    func recordDone(_ shard: ShardMessage, _ outcome: Outcome) async -> Outcome {
        guard let ledger, outcome.delivered, outcome.finalEvent != Self.skipped else { return outcome }
        do {
            try await ledger.markDone(shard: shard.messageID)
        } catch {
            // The run's events are confirmed: acknowledging is still right; a later duplicate may run again.
            logger.warning(
                "cannot record the shard done",
                metadata: [
                    "job.uuid": "\(shard.jobUUID.uuidString.lowercased())", "shard.index": "\(shard.index)", "error": "\(error)",
                ])
        }
        return outcome
    }

    /// Reports a run that never started: `shard_started`, then the closing event with `reason`.
    private func report(
        _ shard: ShardMessage, attempt: Int, runID: UUID, final: String, suffix: String, reason: String, logger: Logger
    ) async -> Outcome {
        let sink = RunEventSink(
            publisher: publisher, jobUUID: shard.jobUUID, shardIndex: shard.index, runID: runID, attempt: attempt,
            workerID: configuration.workerID, batchSize: configuration.batchSize,
            batchInterval: .milliseconds(configuration.batchIntervalMilliseconds), logger: logger)
        await sink.start()
        var events = RunEvents(shard: shard, runID: runID, attempt: attempt, workerID: configuration.workerID)
        await sink.append([events.pipeline(PipelineEventType.shardStarted, suffix: "started", data: events.runData())])
        await sink.append([events.pipeline(final, suffix: suffix, data: events.runData(["reason": .string(reason)]))])
        let delivered = await sink.closeAndWait()
        return Outcome(finalEvent: final, exitCode: nil, delivered: delivered, runID: runID, eventCount: events.counter)
    }
}
