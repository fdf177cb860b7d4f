import Foundation
import Shared

/// `#/components/schemas/Job`: a job as stored (lists, cancel), or with what the collector recorded about it
/// (`GET /api/v1/job/{uuid}`): timings, host counts, shards, dead letters. Unset values are shown as null.
struct JobView: ListedView {
    static let listKey = "jobs"
    var job: Job
    var details: JobDetails?
    /// Where the job's live progress is (shown with the details).
    var progressURL: String?

    init(_ job: Job) {
        self.job = job
    }

    init(_ details: JobDetails, progressURL: String? = nil) {
        self.job = details.job
        self.details = details
        self.progressURL = progressURL
    }

    enum CodingKeys: String, CodingKey {
        case id, uuid, env, options, status, deadline, timings, hosts, shards
        case playbookID = "playbook_id"
        case inventoryID = "inventory_id"
        case inventoryVersion = "inventory_version"
        case appID = "app_id"
        case credentialID = "credential_id"
        case statusReason = "status_reason"
        case playbookCommit = "playbook_commit"
        case shardCount = "shard_count"
        case hostCount = "host_count"
        case cancelRequestedAt = "cancel_requested_at"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case updatedAt = "updated_at"
        case deadLetters = "dead_letters"
        case relaunchOf = "relaunch_of"
        case scheduleID = "schedule_id"
        case progressURL = "progress_url"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(job.id, forKey: .id)
        try container.encode(job.uuid.uuidString.lowercased(), forKey: .uuid)
        try container.encode(job.env, forKey: .env)
        try container.encode(job.playbookID, forKey: .playbookID)
        try container.encode(job.inventoryID, forKey: .inventoryID)
        try container.encode(job.inventoryVersion, forKey: .inventoryVersion)
        try container.encode(job.appID, forKey: .appID)
        try container.encode(job.credentialID, forKey: .credentialID)
        try container.encode(Self.json(job.options) ?? .object([:]), forKey: .options)
        try container.encode(job.status, forKey: .status)
        try container.encode(job.statusReason, forKey: .statusReason)
        try container.encode(job.playbookCommit, forKey: .playbookCommit)
        try container.encode(job.shardCount, forKey: .shardCount)
        try container.encode(job.hostCount, forKey: .hostCount)
        try container.encode(job.cancelRequestedAt, forKey: .cancelRequestedAt)
        try container.encode(job.createdAt, forKey: .createdAt)
        try container.encode(job.startedAt, forKey: .startedAt)
        try container.encode(job.finishedAt, forKey: .finishedAt)
        try container.encode(job.updatedAt, forKey: .updatedAt)
        try container.encode(job.deadlineAt, forKey: .deadline)
        try container.encode(job.relaunchOf.map { $0.uuidString.lowercased() }, forKey: .relaunchOf)
        try container.encode(job.scheduleID, forKey: .scheduleID)
        guard let details else { return }
        try container.encode(
            JobDetails.timings(
                createdAt: job.createdAt, splitAt: details.splitAt, firstStart: details.shards.compactMap(\.startedAt).min(),
                lastFinish: details.shards.compactMap(\.finishedAt).max(), finishedAt: job.finishedAt
            ),
            forKey: .timings
        )
        try container.encode(details.hosts, forKey: .hosts)
        try container.encode(details.shards.map(Shard.init), forKey: .shards)
        // Messages and events of the job the collector kept as dead letters (see docs/collector.md).
        try container.encode(details.deadLetters, forKey: .deadLetters)
        try container.encode(progressURL, forKey: .progressURL)
    }

    /// JSON text stored by PostgreSQL, as a value.
    static func json(_ text: String?) -> JSONValue? {
        text.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
    }

    /// A shard as shown, with the worker and strategy of its current run.
    private struct Shard: Encodable {
        let shard: JobDetails.ShardState

        init(_ shard: JobDetails.ShardState) {
            self.shard = shard
        }

        enum CodingKeys: String, CodingKey {
            case index, status, attempts, attempt, rc, reason, strategy, timings
            case hostCount = "host_count"
            case runID = "run_id"
            case startedAt = "started_at"
            case finishedAt = "finished_at"
            case workerID = "worker_id"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(shard.index, forKey: .index)
            try container.encode(shard.hostCount, forKey: .hostCount)
            try container.encode(shard.status, forKey: .status)
            try container.encode(shard.attempts, forKey: .attempts)
            try container.encode(shard.runID.map { $0.uuidString.lowercased() }, forKey: .runID)
            try container.encode(shard.attempt, forKey: .attempt)
            try container.encode(shard.rc, forKey: .rc)
            try container.encode(shard.reason, forKey: .reason)
            try container.encode(shard.startedAt, forKey: .startedAt)
            try container.encode(shard.finishedAt, forKey: .finishedAt)
            try container.encode(shard.workerID, forKey: .workerID)
            try container.encode(shard.strategy, forKey: .strategy)
            try container.encode(JobView.json(shard.timings) ?? .null, forKey: .timings)
        }
    }
}
