import Foundation
import Shared

/// A job with what the collector recorded about it: its shards, when it was split, its hosts' summaries and
/// its dead letters.
struct JobDetails: Sendable, Hashable {
    var job: Job
    var shards: [ShardState]
    var splitAt: Date?
    var hosts: HostCounts
    var deadLetters: Int64

    /// A shard of the job, with the worker and strategy of its current run.
    struct ShardState: Sendable, Hashable {
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

    }

    /// Counts of the job's host summaries.
    struct HostCounts: Sendable, Hashable, Encodable {
        var summarized: Int64
        var ok: Int64
        var failed: Int64
        var unreachable: Int64
        var changed: Int64

    }

    /// Seconds from launch to split, split to the first shard's start, first start to last shard's end, and
    /// that end to the job's final status: where a whole job's time goes outside the playbook.
    static func timings(createdAt: Date?, splitAt: Date?, firstStart: Date?, lastFinish: Date?, finishedAt: Date?) -> [String: Double] {
        var timings: [String: Double] = [:]
        func gap(_ name: String, _ from: Date?, _ to: Date?) {
            if let from, let to { timings[name] = max(0, to.timeIntervalSince(from)) }
        }
        gap("split", createdAt, splitAt)
        gap("first_shard_start", splitAt, firstStart)
        gap("shards", firstStart, lastFinish)
        gap("final", lastFinish, finishedAt)
        gap("total", createdAt, finishedAt)
        return timings
    }
}
