import Foundation
import Shared

/// A job's state computed from its stored events: what the collector writes to `jobs`, `shards`,
/// `shard_runs` and `host_summaries`.
struct JobFoldResult: Sendable, Equatable {
    var status: JobStatus
    var reason: String?
    var shardCount: Int?
    var hostCount: Int?
    /// The playbook commit the split pinned (`job_split.data.commit`).
    var commit: String?
    var shards: [ShardState]
    var runs: [RunOutcome]

    /// True when every shard the split announced has finished, or the job failed before running.
    var isFinished: Bool { status.isFinished }
}

/// One shard's state: the latest attempt decides it, earlier ones are superseded.
struct ShardState: Sendable, Equatable {
    var index: Int
    var hosts: [String]
    var status: JobStatus
    var attempts: Int
    var currentRunID: UUID?
    var currentAttempt: Int?
    var rc: Int?
    var reason: String?
    var startedAt: Date?
    var finishedAt: Date?
    /// The current run's recap by host, when it arrived; replaces the shard's hosts' summaries.
    var summaryRunID: UUID?
    var summary: [String: HostStats]?
}

/// How one run ended, from its terminal event.
struct RunOutcome: Sendable, Equatable {
    var runID: UUID
    var status: JobStatus
    var rc: Int?
    var reason: String?
    var finishedAt: Date?
}
