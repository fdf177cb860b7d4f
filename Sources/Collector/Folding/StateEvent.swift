import Foundation
import Shared

/// A stored event that decides a job's state: the split, a job failure, a shard's start or end, or a recap.
struct StateEvent: Sendable, Equatable {
    var seq: Int64
    var type: String
    var shardIndex: Int?
    var runID: UUID?
    var attempt: Int?
    var timestamp: Date
    var data: JSONValue?

    /// The event types read by the fold.
    static let types: [String] = [
        PipelineEventType.jobSplit, PipelineEventType.jobFailed, PipelineEventType.shardStarted, PipelineEventType.shardFinished,
        PipelineEventType.shardError, PipelineEventType.shardCanceled, "playbook_on_stats",
    ]

    static func isStateType(_ type: String) -> Bool { types.contains(type) }

    /// `shard_finished`, `shard_error` and `shard_canceled`: the end of a run (or of a shard, without a run id).
    var isTerminal: Bool {
        type == PipelineEventType.shardFinished || type == PipelineEventType.shardError || type == PipelineEventType.shardCanceled
    }

    /// The reason of a lost-events report; the job's status reason repeats it.
    static let eventsLostReason = "events lost: dead-lettered"

    /// A `shard_error` the collector recorded because events of the run were lost (dead-lettered): it ends the
    /// run only when the run's own end is not stored.
    var isLossReport: Bool {
        type == PipelineEventType.shardError && data?["events_lost"]?.boolValue == true
    }
}

/// One attempt of a shard on a worker, as recorded in `shard_runs`.
struct RunRecord: Sendable, Equatable {
    var runID: UUID
    var shardIndex: Int
    var attempt: Int
    var workerID: String?
}
