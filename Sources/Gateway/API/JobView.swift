import Foundation
import Shared

/// `#/components/schemas/Job`: a job as stored (lists, cancel), and with what the collector recorded about it
/// (`GET /api/v1/job/{uuid}`): timings, host counts, shards, dead letters.
struct JobView: Codable, Hashable, Sendable {
    var id: Int64
    var uuid: UUID
    var env: String
    var playbookID: Int64?
    var inventoryID: Int64?
    var inventoryVersion: String?
    var appID: Int64?
    var credentialID: Int64?
    var options: JSONValue
    var status: String
    var statusReason: String?
    var playbookCommit: String?
    var shardCount: Int?
    var hostCount: Int?
    var cancelRequestedAt: Date?
    var createdAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    var updatedAt: Date
    var deadline: Date?
    /// Seconds from launch to split, split to the first shard's start, first start to the last shard's end,
    /// and that end to the final status (see `JobDetails.timings`).
    var timings: [String: Double]?
    var hosts: HostCounts?
    var shards: [Shard]?
    var deadLetters: Int64?

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
    }

    /// Counts of the job's host summaries.
    struct HostCounts: Codable, Hashable, Sendable {
        var summarized: Int64
        var ok: Int64
        var failed: Int64
        var unreachable: Int64
        var changed: Int64
    }

    /// A shard of the job, with the worker and strategy of its current run.
    struct Shard: Codable, Hashable, Sendable {
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
        var timings: JSONValue?

        enum CodingKeys: String, CodingKey {
            case index, status, attempts, attempt, rc, reason, strategy, timings
            case hostCount = "host_count"
            case runID = "run_id"
            case startedAt = "started_at"
            case finishedAt = "finished_at"
            case workerID = "worker_id"
        }

        init(_ shard: JobDetails.ShardState) {
            self.index = shard.index
            self.hostCount = shard.hostCount
            self.status = shard.status
            self.attempts = shard.attempts
            self.runID = shard.runID
            self.attempt = shard.attempt
            self.rc = shard.rc
            self.reason = shard.reason
            self.startedAt = shard.startedAt
            self.finishedAt = shard.finishedAt
            self.workerID = shard.workerID
            self.strategy = shard.strategy
            self.timings = shard.timings.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(hostCount, forKey: .hostCount)
            try container.encode(status, forKey: .status)
            try container.encode(attempts, forKey: .attempts)
            try container.encode(runID.map { $0.uuidString.lowercased() }, forKey: .runID)
            try container.encode(attempt, forKey: .attempt)
            try container.encode(rc, forKey: .rc)
            try container.encode(reason, forKey: .reason)
            try container.encode(startedAt, forKey: .startedAt)
            try container.encode(finishedAt, forKey: .finishedAt)
            try container.encode(workerID, forKey: .workerID)
            try container.encode(strategy, forKey: .strategy)
            try container.encode(timings ?? .null, forKey: .timings)
        }
    }

    /// A job as stored.
    init(_ job: Job) {
        self.id = job.id
        self.uuid = job.uuid
        self.env = job.env
        self.playbookID = job.playbookID
        self.inventoryID = job.inventoryID
        self.inventoryVersion = job.inventoryVersion
        self.appID = job.appID
        self.credentialID = job.credentialID
        self.options = (try? JSONDecoder().decode(JSONValue.self, from: Data(job.options.utf8))) ?? .object([:])
        self.status = job.status
        self.statusReason = job.statusReason
        self.playbookCommit = job.playbookCommit
        self.shardCount = job.shardCount
        self.hostCount = job.hostCount
        self.cancelRequestedAt = job.cancelRequestedAt
        self.createdAt = job.createdAt
        self.startedAt = job.startedAt
        self.finishedAt = job.finishedAt
        self.updatedAt = job.updatedAt
        self.deadline = job.deadlineAt
    }

    /// A job with what the collector recorded about it.
    init(_ details: JobDetails) {
        self.init(details.job)
        let firstStart = details.shards.compactMap(\.startedAt).min()
        let lastFinish = details.shards.compactMap(\.finishedAt).max()
        self.timings = JobDetails.timings(
            createdAt: details.job.createdAt, splitAt: details.splitAt, firstStart: firstStart, lastFinish: lastFinish,
            finishedAt: details.job.finishedAt
        )
        let hosts = details.hosts
        self.hosts = HostCounts(
            summarized: hosts.summarized, ok: hosts.ok, failed: hosts.failed, unreachable: hosts.unreachable, changed: hosts.changed)
        self.shards = details.shards.map(Shard.init)
        // Messages and events of the job the collector kept as dead letters (see docs/collector.md).
        self.deadLetters = details.deadLetters
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(uuid.uuidString.lowercased(), forKey: .uuid)
        try container.encode(env, forKey: .env)
        try container.encode(playbookID, forKey: .playbookID)
        try container.encode(inventoryID, forKey: .inventoryID)
        try container.encode(inventoryVersion, forKey: .inventoryVersion)
        try container.encode(appID, forKey: .appID)
        try container.encode(credentialID, forKey: .credentialID)
        try container.encode(options, forKey: .options)
        try container.encode(status, forKey: .status)
        try container.encode(statusReason, forKey: .statusReason)
        try container.encode(playbookCommit, forKey: .playbookCommit)
        try container.encode(shardCount, forKey: .shardCount)
        try container.encode(hostCount, forKey: .hostCount)
        try container.encode(cancelRequestedAt, forKey: .cancelRequestedAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(deadline, forKey: .deadline)
        try container.encodeIfPresent(timings, forKey: .timings)
        try container.encodeIfPresent(hosts, forKey: .hosts)
        try container.encodeIfPresent(shards, forKey: .shards)
        try container.encodeIfPresent(deadLetters, forKey: .deadLetters)
    }
}
