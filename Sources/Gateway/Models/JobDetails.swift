import Foundation
import Shared

/// A job with what the collector recorded about it: its shards, when it was split, its hosts' summaries and
/// its dead letters.
struct JobDetails: Sendable {
    var job: Job
    var shards: [ShardState]
    var splitAt: Date?
    var hosts: HostCounts
    var deadLetters: Int64

    /// A shard of the job, with the worker and strategy of its current run.
    struct ShardState: Sendable {
        var index: Int
        var hostCount: Int
        var status: String
        var attempts: Int
        var runID: UUID?
        var attempt: Int?
        var rc: Int?
        var reason: String?
        var startedAt: Date?
        var finishedAt: Date?
        var workerID: String?
        var strategy: String?
        /// The `timings` of the shard's final event, as JSON text.
        var timings: String?

        var json: JSONValue {
            [
                "index": .from(index), "host_count": .from(hostCount), "status": .string(status), "attempts": .from(attempts),
                "run_id": .from(runID), "attempt": .from(attempt), "rc": .from(rc), "reason": .from(reason), "started_at": .from(startedAt),
                "finished_at": .from(finishedAt), "worker_id": .from(workerID), "strategy": .from(strategy),
                "timings": timings.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) } ?? .null,
            ]
        }
    }

    /// Counts of the job's host summaries.
    struct HostCounts: Sendable {
        var summarized: Int64
        var ok: Int64
        var failed: Int64
        var unreachable: Int64
        var changed: Int64

        var json: JSONValue {
            ["summarized": .int(summarized), "ok": .int(ok), "failed": .int(failed), "unreachable": .int(unreachable), "changed": .int(changed)]
        }
    }

    /// As shown by `GET /api/v1/job/{uuid}`.
    var json: JSONValue {
        guard case .object(var object) = job.json else { return job.json }
        let firstStart = shards.compactMap(\.startedAt).min()
        let lastFinish = shards.compactMap(\.finishedAt).max()
        object["timings"] = Self.timings(
            createdAt: job.createdAt, splitAt: splitAt, firstStart: firstStart, lastFinish: lastFinish, finishedAt: job.finishedAt)
        object["hosts"] = hosts.json
        object["shards"] = .array(shards.map(\.json))
        // Messages and events of the job the collector kept as dead letters (see docs/collector.md).
        object["dead_letters"] = .int(deadLetters)
        return .object(object)
    }

    /// Seconds from launch to split, split to the first shard's start, first start to last shard's end, and
    /// that end to the job's final status: where a whole job's time goes outside the playbook.
    static func timings(createdAt: Date?, splitAt: Date?, firstStart: Date?, lastFinish: Date?, finishedAt: Date?) -> JSONValue {
        var timings: [String: JSONValue] = [:]
        func gap(_ name: String, _ from: Date?, _ to: Date?) {
            if let from, let to { timings[name] = .double(max(0, to.timeIntervalSince(from))) }
        }
        gap("split", createdAt, splitAt)
        gap("first_shard_start", splitAt, firstStart)
        gap("shards", firstStart, lastFinish)
        gap("final", lastFinish, finishedAt)
        gap("total", createdAt, finishedAt)
        return .object(timings)
    }
}
