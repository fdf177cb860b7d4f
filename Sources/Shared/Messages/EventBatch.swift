import Foundation

/// Events of one job from one source, published to `pansible.events` with routing key
/// `job.<uuid>.<source>` and consumed by collectors.
///
/// Workers batch the events of a run into one message as they come; the splitter sends its `job_split` /
/// `job_failed` events the same way. Each event carries its own unique `id`, so a re-sent batch is harmless.
public struct EventBatch: Codable, Sendable, Equatable {
    public static let currentSchema = 1

    public var schema: Int
    public var jobUUID: UUID
    /// `splitter`, `worker` or `collector`.
    public var source: String
    /// Set for events of a shard run.
    public var shardIndex: Int?
    /// One attempt of a shard on a worker (the seed's `_pansible_task` / `run_id`).
    public var runID: UUID?
    /// 1 for the first delivery of a shard, N+1 after N deliveries.
    public var attempt: Int?
    public var workerID: String?
    public var events: [PansibleEvent]

    public init(
        jobUUID: UUID, source: String, shardIndex: Int? = nil, runID: UUID? = nil, attempt: Int? = nil, workerID: String? = nil,
        events: [PansibleEvent]
    ) {
        self.schema = Self.currentSchema
        self.jobUUID = jobUUID
        self.source = source
        self.shardIndex = shardIndex
        self.runID = runID
        self.attempt = attempt
        self.workerID = workerID
        self.events = events
    }

    public var routingKey: String { "job.\(jobUUID.uuidString.lowercased()).\(source)" }

    /// Deterministic for a given batch content: the first and last event ids.
    public var messageID: String {
        "job/\(jobUUID.uuidString.lowercased())/events/\(events.first?.id ?? "")..\(events.last?.id ?? "")"
    }

    enum CodingKeys: String, CodingKey {
        case schema, source, attempt, events
        case jobUUID = "job_uuid"
        case shardIndex = "shard_index"
        case runID = "run_id"
        case workerID = "worker_id"
    }
}

/// One event: an Ansible callback (from the callback plugin) or a pipeline event.
///
/// Ansible event types are the callback names without `v2_`: `playbook_on_start`, `playbook_on_play_start`,
/// `playbook_on_task_start`, `playbook_on_handler_task_start`, `runner_on_start`, `runner_on_ok`,
/// `runner_on_failed`, `runner_on_skipped`, `runner_on_unreachable`, `runner_item_on_ok`,
/// `runner_item_on_failed`, `runner_item_on_skipped`, `runner_retry`, `runner_on_async_poll`,
/// `runner_on_async_ok`, `runner_on_async_failed`, `playbook_on_no_hosts_matched`, `playbook_on_include`,
/// `playbook_on_stats`, plus `stdout` (human-readable output lines).
/// Pipeline event types: `job_split`, `job_failed`, `shard_started`, `shard_finished`, `shard_error`,
/// `shard_canceled`.
public struct PansibleEvent: Codable, Sendable, Equatable {
    /// Unique within the job: the plugin's uuid, or a deterministic id for pipeline events
    /// (`split`, `failed`, `shard/<i>/run/<run id>/finished`, …).
    public var id: String
    public var type: String
    /// Strictly increasing within a run; pipeline events of a run continue the run's sequence.
    public var counter: Int?
    public var parentUUID: String?
    public var host: String?
    public var play: String?
    public var playUUID: String?
    public var task: String?
    public var taskUUID: String?
    public var taskAction: String?
    public var role: String?
    public var timestamp: Date
    public var startedAt: Date?
    public var endedAt: Date?
    /// Seconds.
    public var duration: Double?
    public var ignoreErrors: Bool?
    /// Ansible's result (`res`), `no_log` censored, trimmed when large.
    public var result: JSONValue?
    public var resultTrimmed: Bool?
    /// Human-readable output that belongs to this event.
    public var stdout: String?
    /// Payload of pipeline events (`job_split`: shard and host counts and assignment; `shard_finished`:
    /// rc, stats, duration; `job_failed` / `shard_error`: reason). Worker run events carry `run_id`,
    /// `attempt`, `worker_id`, `shard_index` and `hosts`; `shard_finished`, `shard_canceled` and a timed-out
    /// `shard_error` add `rc`, `duration` and `stats` (per host: ok, changed, failures, unreachable, skipped,
    /// rescued, ignored). Ansible events: `playbook_on_stats` has the same `stats` (plus `custom`);
    /// `playbook_on_start` has `playbook`, `playbook_uuid` and `pid`; `playbook_on_include` has `file`
    /// and `hosts`; `playbook_on_notify` has `handler`.
    public var data: JSONValue?

    public init(
        id: String, type: String, counter: Int? = nil, parentUUID: String? = nil, host: String? = nil, play: String? = nil,
        playUUID: String? = nil, task: String? = nil, taskUUID: String? = nil, taskAction: String? = nil, role: String? = nil,
        timestamp: Date = Date(), startedAt: Date? = nil, endedAt: Date? = nil, duration: Double? = nil, ignoreErrors: Bool? = nil,
        result: JSONValue? = nil, resultTrimmed: Bool? = nil, stdout: String? = nil, data: JSONValue? = nil
    ) {
        self.id = id
        self.type = type
        self.counter = counter
        self.parentUUID = parentUUID
        self.host = host
        self.play = play
        self.playUUID = playUUID
        self.task = task
        self.taskUUID = taskUUID
        self.taskAction = taskAction
        self.role = role
        self.timestamp = timestamp
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.duration = duration
        self.ignoreErrors = ignoreErrors
        self.result = result
        self.resultTrimmed = resultTrimmed
        self.stdout = stdout
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case id, type, counter, host, play, task, role, timestamp, duration, result, stdout, data
        case parentUUID = "parent_uuid"
        case playUUID = "play_uuid"
        case taskUUID = "task_uuid"
        case taskAction = "task_action"
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case ignoreErrors = "ignore_errors"
        case resultTrimmed = "result_trimmed"
    }
}

/// The pipeline's event types.
public enum PipelineEventType {
    public static let jobSplit = "job_split"
    public static let jobFailed = "job_failed"
    public static let shardStarted = "shard_started"
    public static let shardFinished = "shard_finished"
    public static let shardError = "shard_error"
    public static let shardCanceled = "shard_canceled"
}
