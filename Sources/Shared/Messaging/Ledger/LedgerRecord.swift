import Foundation

/// One record of the `pansible.ledger` stream, published to the `pansible.ledger` exchange. The stream also
/// holds every `ControlMessage` (it is bound to `pansible.control`), so a cancel stays known to workers that
/// start later.
///
/// - `sync`: nothing but a marker; read back, it proves that the reader has seen every earlier record.
/// - `claim`: a worker is about to run delivery `attempt` of a shard; the first claim of a (shard, attempt) in
///   the stream's order wins, every other one acknowledges its delivery without running.
/// - `done`: every event of a run of the shard is confirmed; a later delivery of it is not run.
/// - `split`: how a job was split (commit, hosts and forks per shard); a job delivered again is split the same.
public struct LedgerRecord: Codable, Sendable, Equatable {
    public static let currentSchema = 1

    public enum Kind: String, Codable, Sendable {
        case sync, claim, done, split
    }

    public var schema: Int
    public var kind: Kind
    /// Unique per record: how its writer recognises it when it reads it back.
    public var id: String
    /// Who wrote it: a worker id or `splitter`.
    public var writer: String
    /// `claim` and `done`: the shard message's id (`job/<uuid>/shard/<index>`).
    public var shard: String?
    /// `claim`: the delivery's attempt (its delivery count + 1).
    public var attempt: Int?
    /// `claim`: the run id the claim's run reports its events under.
    public var runID: UUID?
    /// `split`: the job.
    public var jobUUID: UUID?
    /// `split`: the plan every delivery of the job publishes.
    public var plan: SplitRecord?
    public var writtenAt: Date

    public init(
        kind: Kind, writer: String, shard: String? = nil, attempt: Int? = nil, runID: UUID? = nil, jobUUID: UUID? = nil,
        plan: SplitRecord? = nil, id: String = UUID().uuidString.lowercased(), writtenAt: Date = Date()
    ) {
        self.schema = Self.currentSchema
        self.kind = kind
        self.id = id
        self.writer = writer
        self.shard = shard
        self.attempt = attempt
        self.runID = runID
        self.jobUUID = jobUUID
        self.plan = plan
        self.writtenAt = writtenAt
    }

    public var messageID: String { "ledger/\(kind.rawValue)/\(id)" }

    enum CodingKeys: String, CodingKey {
        case schema, kind, id, writer, shard, attempt, plan
        case runID = "run_id"
        case jobUUID = "job_uuid"
        case writtenAt = "written_at"
    }
}

/// How a job was split: enough to publish byte-identical shards again from the job message.
public struct SplitRecord: Codable, Sendable, Equatable {
    public struct Shard: Codable, Sendable, Equatable {
        /// The shard's hosts, in order.
        public var hosts: [String]
        /// The shard's `forks`.
        public var forks: Int?

        public init(hosts: [String], forks: Int?) {
            self.hosts = hosts
            self.forks = forks
        }
    }

    /// The pinned playbook commit.
    public var commit: String
    /// The shards' `split_at`.
    public var splitAt: Date
    public var shards: [Shard]

    public init(commit: String, splitAt: Date, shards: [Shard]) {
        self.commit = commit
        self.splitAt = splitAt
        self.shards = shards
    }

    enum CodingKeys: String, CodingKey {
        case commit, shards
        case splitAt = "split_at"
    }
}
