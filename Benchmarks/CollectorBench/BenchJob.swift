import Foundation
import Shared

/// A job's events as the splitter and workers publish them, for the ingestion benchmark: a `job_split`, then
/// per shard a run with `shard_started`, `playbook_on_start`, a play, tasks with one `runner_on_ok` (or, for
/// one host in fifty, `runner_on_failed`) per host carrying a command module's result, `playbook_on_stats` and
/// `shard_finished`. Tasks are added until about `events` events in all.
struct BenchJob {
    var jobUUID = UUID()
    var shards: Int
    var hosts: Int
    var events: Int
    var eventsPerBatch: Int

    func host(shard: Int, index: Int) -> String { String(format: "web%05d.dc1.example.com", shard * hosts + index) }

    private var tasks: Int { max(1, (events / max(1, shards) - 6) / (hosts + 1)) }

    func batches() -> [EventBatch] {
        let assignment = Dictionary(uniqueKeysWithValues: (0..<shards).map { shard in (shard, (0..<hosts).map { host(shard: shard, index: $0) }) })
        let split = EventBatch(
            jobUUID: jobUUID, source: "splitter",
            events: [
                PansibleEvent(
                    id: "split", type: PipelineEventType.jobSplit,
                    data: JobSplitData(shardCount: shards, hostCount: shards * hosts, shards: assignment).json)
            ])
        return [split] + (0..<shards).flatMap { run(shard: $0) }
    }

    private func failing(shard: Int, host: Int) -> Bool { (shard * hosts + host) % 50 == 7 }

    private func run(shard: Int) -> [EventBatch] {
        let runID = UUID()
        let base = Date(timeIntervalSince1970: 1_800_000_000 + Double(shard))
        var events: [PansibleEvent] = []
        var counter = 0
        func next() -> Int {
            counter += 1
            return counter
        }
        func time() -> Date { base.addingTimeInterval(Double(counter) * 0.004) }
        let playUUID = UUID().uuidString.lowercased()
        events.append(
            PansibleEvent(
                id: "shard/\(shard)/run/\(runID.uuidString.lowercased())/started", type: PipelineEventType.shardStarted, counter: next(),
                timestamp: time(),
                data: .object([
                    "run_id": .string(runID.uuidString.lowercased()), "attempt": .int(1), "worker_id": .string("worker-\(shard % 4)"),
                    "shard_index": .int(Int64(shard)), "hosts": .int(Int64(hosts)),
                ])))
        events.append(
            PansibleEvent(
                id: UUID().uuidString.lowercased(), type: "playbook_on_start", counter: next(), timestamp: time(),
                data: .object(["playbook": .string("site.yml"), "playbook_uuid": .string(UUID().uuidString.lowercased()), "pid": .int(4242)])))
        events.append(
            PansibleEvent(
                id: UUID().uuidString.lowercased(), type: "playbook_on_play_start", counter: next(), play: "webservers", playUUID: playUUID,
                timestamp: time()))
        var stats: [String: HostStats] = [:]
        for task in 0..<tasks {
            let taskUUID = UUID().uuidString.lowercased()
            let taskName = "check service \(task)"
            events.append(
                PansibleEvent(
                    id: taskUUID, type: "playbook_on_task_start", counter: next(), play: "webservers", playUUID: playUUID, task: taskName,
                    taskUUID: taskUUID, taskAction: "ansible.builtin.command", timestamp: time()))
            for index in 0..<hosts {
                let name = host(shard: shard, index: index)
                let fails = failing(shard: shard, host: index) && task == tasks - 1
                let started = time()
                let result = Self.commandResult(task: task, fails: fails)
                events.append(
                    PansibleEvent(
                        id: UUID().uuidString.lowercased(), type: fails ? "runner_on_failed" : "runner_on_ok", counter: next(), parentUUID: taskUUID,
                        host: name, play: "webservers", playUUID: playUUID, task: taskName, taskUUID: taskUUID, taskAction: "ansible.builtin.command",
                        timestamp: time(), startedAt: started, endedAt: time(), duration: 0.0038, ignoreErrors: fails ? false : nil, result: result,
                        stdout: fails ? "fatal: [\(name)]: FAILED! => non-zero return code" : (task % 3 == 0 ? "changed: [\(name)]" : "ok: [\(name)]")
                    ))
                var hostStats = stats[name] ?? HostStats()
                if fails { hostStats.failures += 1 } else { hostStats.ok += 1 }
                if !fails && task % 3 == 0 { hostStats.changed += 1 }
                stats[name] = hostStats
            }
        }
        events.append(
            PansibleEvent(
                id: UUID().uuidString.lowercased(), type: "playbook_on_stats", counter: next(), timestamp: time(),
                data: .object(["stats": .object(stats.mapValues(\.json)), "custom": .object([:])])))
        let rc = stats.values.contains { $0.failures > 0 } ? 2 : 0
        events.append(
            PansibleEvent(
                id: "shard/\(shard)/run/\(runID.uuidString.lowercased())/finished", type: PipelineEventType.shardFinished, counter: next(),
                timestamp: time(), data: ShardFinishedData(rc: rc, stats: stats, duration: Double(counter) * 0.004).json))
        return stride(from: 0, to: events.count, by: eventsPerBatch).map { start in
            EventBatch(
                jobUUID: jobUUID, source: "worker", shardIndex: shard, runID: runID, attempt: 1, workerID: "worker-\(shard % 4)",
                events: Array(events[start..<min(start + eventsPerBatch, events.count)]))
        }
    }

    /// What the command module returns for `uptime` (one line of output), or its failure.
    static func commandResult(task: Int, fails: Bool) -> JSONValue {
        let output = " 12:00:\(String(format: "%02d", task % 60)) up 41 days,  3:12,  0 users,  load average: 0.08, 0.03, 0.01"
        return .object([
            "changed": .bool(!fails && task % 3 == 0), "cmd": .array([.string("uptime")]), "rc": .int(fails ? 1 : 0),
            "delta": .string("0:00:00.003812"), "start": .string("2027-01-15 08:00:00.112233"), "end": .string("2027-01-15 08:00:00.116045"),
            "stdout": .string(fails ? "" : output), "stdout_lines": .array(fails ? [] : [.string(output)]),
            "stderr": .string(fails ? "uptime: cannot open /var/run/utmp" : ""), "stderr_lines": .array([]),
            "msg": .string(fails ? "non-zero return code" : ""),
            "invocation": .object([
                "module_args": .object([
                    "_raw_params": .string("uptime"), "chdir": .null, "creates": .null, "removes": .null, "stdin": .null,
                    "strip_empty_ends": .bool(true),
                ])
            ]),
        ])
    }
}
