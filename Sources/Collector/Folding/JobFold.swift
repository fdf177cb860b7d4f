import Foundation
import Shared

/// Computes a job's state from its stored state events and runs.
///
/// Pure and order-independent: the result depends only on the set of events (ties are broken by `seq`), so
/// the collector recomputes it after every write that touched the job, whatever order events arrived in,
/// however often they were delivered, and whichever collector stored them.
enum JobFold {
    static func fold(events: [StateEvent], runs: [RunRecord]) -> JobFoldResult {
        let events = events.sorted { $0.seq < $1.seq }
        let split = events.first { $0.type == PipelineEventType.jobSplit }.flatMap { JobSplitData(json: $0.data) }
        let failure = events.first { $0.type == PipelineEventType.jobFailed }

        var runsByShard: [Int: [UUID: RunRecord]] = [:]
        for run in runs {
            runsByShard[run.shardIndex, default: [:]][run.runID] = run
        }
        // Runs are also known from their own events, should `shard_runs` lag behind.
        for event in events {
            guard let index = event.shardIndex, let runID = event.runID, runsByShard[index]?[runID] == nil else { continue }
            runsByShard[index, default: [:]][runID] = RunRecord(runID: runID, shardIndex: index, attempt: event.attempt ?? 1)
        }

        var indices = Set(runsByShard.keys)
        for event in events where event.shardIndex != nil && event.isTerminal {
            indices.insert(event.shardIndex!)
        }
        if let split {
            indices.formUnion(0..<split.shardCount)
        }

        var shards: [ShardState] = []
        var outcomes: [RunOutcome] = []
        var lostShards: Set<Int> = []
        for index in indices.sorted() {
            let shardEvents = events.filter { $0.shardIndex == index }
            let shardRuns = (runsByShard[index] ?? [:]).values.sorted {
                ($0.attempt, $0.runID.uuidString) < ($1.attempt, $1.runID.uuidString)
            }
            var terminalByRun: [UUID: StateEvent] = [:]
            var statsByRun: [UUID: [String: HostStats]] = [:]
            var startByRun: [UUID: Date] = [:]
            var runlessTerminal: StateEvent?
            var lossByRun: [UUID: StateEvent] = [:]
            var runlessLoss: StateEvent?
            for event in shardEvents {
                switch event.type {
                case PipelineEventType.shardStarted:
                    if let runID = event.runID, startByRun[runID] == nil { startByRun[runID] = event.timestamp }
                case "playbook_on_stats":
                    if let runID = event.runID, statsByRun[runID] == nil { statsByRun[runID] = HostStats.perHost(event.data?["stats"]) }
                default:
                    guard event.isTerminal else { continue }
                    if event.isLossReport {
                        if let runID = event.runID {
                            if lossByRun[runID] == nil { lossByRun[runID] = event }
                        } else if runlessLoss == nil {
                            runlessLoss = event
                        }
                        lostShards.insert(index)
                    } else if let runID = event.runID {
                        if terminalByRun[runID] == nil { terminalByRun[runID] = event }
                    } else if runlessTerminal == nil {
                        runlessTerminal = event
                    }
                }
            }
            // A run's own end decides it; a report of lost events only ends a run (or shard) that cannot report.
            for (runID, loss) in lossByRun where terminalByRun[runID] == nil {
                terminalByRun[runID] = loss
            }
            if runlessTerminal == nil { runlessTerminal = runlessLoss }
            for run in shardRuns {
                guard let terminal = terminalByRun[run.runID] else { continue }
                let ending = ending(of: terminal, recap: statsByRun[run.runID])
                outcomes.append(
                    RunOutcome(runID: run.runID, status: ending.status, rc: ending.rc, reason: ending.reason, finishedAt: terminal.timestamp)
                )
            }

            let current = shardRuns.last
            var state = ShardState(
                index: index, hosts: split?.shards[index] ?? [], status: .pending, attempts: shardRuns.map(\.attempt).max() ?? 0,
                currentRunID: current?.runID, currentAttempt: current?.attempt
            )
            if let current {
                state.startedAt = startByRun[current.runID]
                let finished = terminalByRun[current.runID].flatMap { ShardFinishedData(json: $0.data).stats }
                state.summary = finished ?? statsByRun[current.runID]
                state.summaryRunID = state.summary == nil ? nil : current.runID
            }
            if let current, let terminal = terminalByRun[current.runID] {
                let ending = ending(of: terminal, recap: state.summary)
                state.status = ending.status
                state.rc = ending.rc
                state.reason = ending.reason
                state.finishedAt = terminal.timestamp
            } else if let terminal = runlessTerminal {
                let ending = ending(of: terminal, recap: nil)
                state.status = ending.status
                state.reason = ending.reason
                state.finishedAt = terminal.timestamp
            } else if current != nil {
                state.status = .running
            }
            if state.reason == nil, lostShards.contains(index) {
                state.reason = StateEvent.eventsLostReason
            }
            shards.append(state)
        }

        var result = JobFoldResult(
            status: .running, reason: nil, shardCount: split?.shardCount, hostCount: split?.hostCount,
            commit: events.first { $0.type == PipelineEventType.jobSplit }?.data?["commit"]?.stringValue, shards: shards, runs: outcomes
        )
        if let failure {
            result.status = .error
            result.reason = failure.data?["reason"]?.stringValue ?? "the job failed"
        } else if let split {
            let announced = shards.filter { $0.index < split.shardCount }
            if let notice = split.notice, !shards.contains(where: { $0.currentRunID != nil || $0.status.isFinished }) {
                result.reason = notice
            }
            if announced.count == split.shardCount, announced.allSatisfy(\.status.isFinished) {
                if let failed = announced.first(where: { $0.status == .error }) {
                    result.status = .error
                    result.reason = "shard \(failed.index): \(failed.reason ?? "error")"
                } else if announced.contains(where: { $0.status == .canceled }) {
                    result.status = .canceled
                } else if announced.contains(where: { $0.status == .failed }) {
                    result.status = .failed
                } else {
                    result.status = .successful
                }
            }
        }
        if result.reason == nil, let lost = lostShards.min() {
            // The shard reported its end, but some of its events were lost: the job says so (unless it was
            // final already; the shard's reason says it then).
            result.reason = "shard \(lost): \(StateEvent.eventsLostReason)"
        }
        return result
    }

    /// How a terminal event ends its run (or its shard).
    ///
    /// `ansible-playbook` exits 0 when every host succeeded, 2 when a host failed, 4 when one was unreachable;
    /// any other code means the run itself broke (bad playbook, crash) and is an error.
    static func ending(of event: StateEvent, recap: [String: HostStats]?) -> (status: JobStatus, rc: Int?, reason: String?) {
        switch event.type {
        case PipelineEventType.shardCanceled:
            return (.canceled, nil, event.data?["reason"]?.stringValue)
        case PipelineEventType.shardError:
            return (.error, event.data?["rc"]?.intValue.map(Int.init), event.data?["reason"]?.stringValue ?? "the shard could not run")
        default:
            let data = ShardFinishedData(json: event.data)
            let stats = data.stats ?? recap ?? [:]
            if stats.values.contains(where: { $0.failures > 0 || $0.unreachable > 0 }) {
                return (.failed, data.rc, data.reason)
            }
            switch data.rc {
            case nil, 0: return (.successful, data.rc, data.reason)
            case 2, 4: return (.failed, data.rc, data.reason)
            case let rc?: return (.error, rc, data.reason ?? "ansible-playbook exited with code \(rc)")
            }
        }
    }
}
