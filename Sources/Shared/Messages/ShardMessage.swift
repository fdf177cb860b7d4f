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
    /// The shard's inventory as a static inventory in Ansible's YAML-inventory structure (JSON), restricted to
    /// the shard's hosts: every group that holds one of them (with its children among those groups, its
    /// variables and `ansible_group_priority`), every host with its own variables (see ``ShardInventory``).
    ///
    /// Not the flattened `--list` form: flattening group variables into host variables would lift them above
    /// the playbook's own `group_vars/` in Ansible's precedence; kept as group variables, the shard sees the
    /// same variables, depths, priorities and `group_names` as a whole-inventory run.
    public var inventory: JSONValue
    /// The job's vars document restricted to the shard's groups: group name → variables, to be written as
    /// `group_vars/<group>.json` next to the inventory (``ShardInventory/write(to:)``); nil when empty.
    public var groupVars: JSONValue?
    /// The shard's hosts, in order.
    public var hosts: [String]
    public var options: JobOptions
    public var credential: SealedCredential?
    /// When the splitter cut the job: the start of the shard's time in the queue.
    public var splitAt: Date?
    /// When the job must have ended (its `deadline`): a shard delivered later is not run.
    public var deadline: Date?

    public init(
        jobUUID: UUID, jobID: Int64, index: Int, count: Int, pool: String, playbook: PlaybookSpec, inventory: JSONValue,
        hosts: [String], options: JobOptions, credential: SealedCredential?, groupVars: JSONValue? = nil, splitAt: Date? = nil,
        deadline: Date? = nil
    ) {
        self.schema = Self.currentSchema
        self.jobUUID = jobUUID
        self.jobID = jobID
        self.index = index
        self.count = count
        self.pool = pool
        self.playbook = playbook
        self.inventory = inventory
        self.groupVars = groupVars
        self.hosts = hosts
        self.options = options
        self.credential = credential
        self.splitAt = splitAt
        self.deadline = deadline
    }

    public var messageID: String { Self.messageID(jobUUID: jobUUID, index: index) }

    public static func messageID(jobUUID: UUID, index: Int) -> String {
        "job/\(jobUUID.uuidString.lowercased())/shard/\(index)"
    }

    enum CodingKeys: String, CodingKey {
        case schema, index, count, pool, playbook, inventory, hosts, options, credential, deadline
        case jobUUID = "job_uuid"
        case jobID = "job_id"
        case groupVars = "group_vars"
        case splitAt = "split_at"
    }
}
