import Foundation

/// One self-contained slice of a job, published by the splitter to `pansible.shards` with the pool as
/// routing key, consumed by that pool's workers.
///
/// Message id: `job/<uuid>/shard/<index>`, so a re-split job publishes identical shards.
public struct ShardMessage: Codable, Sendable, Equatable {
    public static let currentSchema = 1

    public var schema: Int
    public var jobUUID: UUID
    public var jobID: Int64
    /// 0-based.
    public var index: Int
    /// Shards in the job.
    public var count: Int
    public var pool: String
    /// With `commit` pinned.
    public var playbook: PlaybookSpec
    /// The shard's inventory in `ansible-inventory --list` form, restricted to its hosts with every variable.
    public var inventory: JSONValue
    /// The shard's hosts, in order.
    public var hosts: [String]
    public var options: JobOptions
    public var credential: SealedCredential?

    public init(
        jobUUID: UUID, jobID: Int64, index: Int, count: Int, pool: String, playbook: PlaybookSpec, inventory: JSONValue,
        hosts: [String], options: JobOptions, credential: SealedCredential?
    ) {
        self.schema = Self.currentSchema
        self.jobUUID = jobUUID
        self.jobID = jobID
        self.index = index
        self.count = count
        self.pool = pool
        self.playbook = playbook
        self.inventory = inventory
        self.hosts = hosts
        self.options = options
        self.credential = credential
    }

    public var messageID: String { Self.messageID(jobUUID: jobUUID, index: index) }

    public static func messageID(jobUUID: UUID, index: Int) -> String {
        "job/\(jobUUID.uuidString.lowercased())/shard/\(index)"
    }

    enum CodingKeys: String, CodingKey {
        case schema, index, count, pool, playbook, inventory, hosts, options, credential
        case jobUUID = "job_uuid"
        case jobID = "job_id"
    }
}
