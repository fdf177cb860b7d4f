import Foundation
import Shared

/// Builds the event batches of a job the way the splitter and workers publish them: a split, then per shard
/// run a `shard_started`, Ansible's events with increasing counters, a `playbook_on_stats` and a
/// `shard_finished` carrying the recap.
struct JobScenario {
    var jobUUID = UUID()
    /// Hosts by shard.
    var shards: [[String]]
    /// Tasks per host.
    var tasks = 3
    /// Hosts whose last task fails.
    var failingHosts: Set<String> = []
    var eventsPerBatch = 10
    /// The split's notice (a pool with no live worker).
    var notice: String?
    /// The playbook commit the split pinned.
    var commit: String?

    var split: EventBatch {
        let data = JobSplitData(
            shardCount: shards.count, hostCount: shards.reduce(0) { $0 + $1.count },
            shards: Dictionary(uniqueKeysWithValues: shards.enumerated().map { ($0.offset, $0.element) }), notice: notice
        )
        var json = data.json
        if let commit, case .object(var object) = json {
            object["commit"] = .string(commit)
            json = .object(object)
        }
        return EventBatch(
            jobUUID: jobUUID, source: "splitter", events: [PansibleEvent(id: "split", type: PipelineEventType.jobSplit, data: json)]
        )
    }

    func stats(shard: Int) -> [String: HostStats] {
        var stats: [String: HostStats] = [:]
        for host in shards[shard] {
            let fails = failingHosts.contains(host)
            stats[host] = HostStats(ok: fails ? tasks - 1 : tasks, changed: 1, failures: fails ? 1 : 0)
        }
        return stats
    }

    /// The events of one run of a shard, batched as a worker would.
    func run(shard: Int, runID: UUID = UUID(), attempt: Int = 1, worker: String = "w1", stdout: (String) -> String = { "ok: [\($0)]" })
        -> [EventBatch]
    {
        var events: [PansibleEvent] = []
        var counter = 0
        func next() -> Int {
            counter += 1
            return counter
        }
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        events.append(
            PansibleEvent(id: "shard/\(shard)/run/\(runID)/started", type: PipelineEventType.shardStarted, counter: next(), timestamp: base))
        events.append(PansibleEvent(id: UUID().uuidString, type: "playbook_on_start", counter: next(), timestamp: base))
        events.append(PansibleEvent(id: UUID().uuidString, type: "playbook_on_play_start", counter: next(), play: "all", timestamp: base))
        for task in 0..<tasks {
            events.append(
                PansibleEvent(
                    id: UUID().uuidString, type: "playbook_on_task_start", counter: next(), play: "all", task: "task \(task)", timestamp: base)
            )
            for host in shards[shard] {
                let fails = failingHosts.contains(host) && task == tasks - 1
                events.append(
                    PansibleEvent(
                        id: UUID().uuidString, type: fails ? "runner_on_failed" : "runner_on_ok", counter: next(), host: host, play: "all",
                        task: "task \(task)", taskAction: "command", timestamp: base.addingTimeInterval(Double(counter)),
                        ignoreErrors: fails ? false : nil,
                        result: .object(["changed": .bool(task == 0), "msg": .string("line\twith\\tab\nand newline")]),
                        stdout: stdout(host)
                    )
                )
            }
        }
        let recap = stats(shard: shard)
        events.append(
            PansibleEvent(
                id: UUID().uuidString, type: "playbook_on_stats", counter: next(), timestamp: base,
                data: .object(["stats": .object(recap.mapValues(\.json))])
            )
        )
        let rc = recap.values.contains { $0.failures > 0 } ? 2 : 0
        events.append(
            PansibleEvent(
                id: "shard/\(shard)/run/\(runID)/finished", type: PipelineEventType.shardFinished, counter: next(), timestamp: base,
                data: ShardFinishedData(rc: rc, stats: recap, duration: 1.5).json
            )
        )
        return stride(from: 0, to: events.count, by: eventsPerBatch).map { start in
            EventBatch(
                jobUUID: jobUUID, source: "worker", shardIndex: shard, runID: runID, attempt: attempt, workerID: worker,
                events: Array(events[start..<min(start + eventsPerBatch, events.count)])
            )
        }
    }

    /// Every batch of the job: the split, then one run per shard.
    func allBatches() -> [EventBatch] {
        [split] + shards.indices.flatMap { run(shard: $0) }
    }
}
