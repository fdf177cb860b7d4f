import Foundation

/// A launched job, published by the gateway to `pansible.jobs` and consumed by a splitter.
///
/// Message id: `job/<uuid>`.
public struct JobMessage: Codable, Sendable, Equatable {
    public static let currentSchema = 1

    public var schema: Int
    public var jobUUID: UUID
    public var jobID: Int64
    public var env: String
    public var playbook: PlaybookSpec
    public var inventory: InventorySpec
    public var options: JobOptions
    /// The job's credential, sealed with the shared `secret_key`; workers open it.
    public var credential: SealedCredential?
    public var createdAt: Date
    /// When the job must have ended, whatever happens (set by the gateway from the job's `deadline` option or
    /// the configured default); past it, the job is ended `error` and its queued shards are not run.
    public var deadline: Date?

    public init(
        jobUUID: UUID, jobID: Int64, env: String, playbook: PlaybookSpec, inventory: InventorySpec, options: JobOptions,
        credential: SealedCredential? = nil, createdAt: Date = Date(), deadline: Date? = nil
    ) {
        self.schema = Self.currentSchema
        self.jobUUID = jobUUID
        self.jobID = jobID
        self.env = env
        self.playbook = playbook
        self.inventory = inventory
        self.options = options
        self.credential = credential
        self.createdAt = createdAt
        self.deadline = deadline
    }

    public var messageID: String { "job/\(jobUUID.uuidString.lowercased())" }

    enum CodingKeys: String, CodingKey {
        case schema, env, playbook, inventory, options, credential, deadline
        case jobUUID = "job_uuid"
        case jobID = "job_id"
        case createdAt = "created_at"
    }
}

/// Where a playbook lives and which revision runs.
public struct PlaybookSpec: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    /// ssh, https, `file://` URL or local path.
    public var gitRepo: String
    /// Relative path of the playbook inside the repository.
    public var entry: String
    /// Branch, tag or commit asked for; nil means the repository's HEAD.
    public var ref: String?
    /// The commit the splitter pinned for every shard of the job.
    public var commit: String?

    public init(id: Int64, name: String, gitRepo: String, entry: String, ref: String? = nil, commit: String? = nil) {
        self.id = id
        self.name = name
        self.gitRepo = gitRepo
        self.entry = entry
        self.ref = ref
        self.commit = commit
    }

    enum CodingKeys: String, CodingKey {
        case id, name, entry, ref, commit
        case gitRepo = "git_repo"
    }
}

/// An inventory as uploaded: the seed's `hosts` and `vars` YAML documents.
public struct InventorySpec: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var env: String
    public var version: String
    public var hosts: String
    public var vars: String?

    public init(id: Int64, name: String, env: String, version: String, hosts: String, vars: String?) {
        self.id = id
        self.name = name
        self.env = env
        self.version = version
        self.hosts = hosts
        self.vars = vars
    }
}

/// The options a job may set (all optional).
public struct JobOptions: Codable, Sendable, Equatable {
    /// Ansible host pattern, applied by the splitter.
    public var limit: String?
    /// Exact host names the job is limited to besides `limit` (a relaunch's failed hosts): names, never
    /// patterns, so a host called `x&y` or `a,b` means that host.
    public var hosts: [String]?
    /// Extra variables (`-e`), a JSON object.
    public var extraVars: JSONValue?
    public var tags: [String]?
    public var skipTags: [String]?
    public var check: Bool?
    public var diff: Bool?
    /// 0...6 (`-v` … `-vvvvvv`).
    public var verbosity: Int?
    public var forks: Int?
    /// Hosts per shard; 0 runs the job as one shard.
    public var shardSize: Int?
    /// Number of shards (instead of `shard_size`); 1 runs the job whole.
    public var shards: Int?
    /// Seconds a shard may run.
    public var timeout: Int?
    /// Seconds from acceptance within which the whole job must end; past it the job ends `error` and shards
    /// not started yet never run. Default: the gateway's `job_deadline`.
    public var deadline: Int?
    /// Worker pool; default `default`.
    public var pool: String?
    /// false turns the worker's Mitogen accelerator off for this job.
    public var mitogen: Bool?
    /// false turns SSH pipelining (on by default) off for this job.
    public var pipelining: Bool?

    public init(
        limit: String? = nil, extraVars: JSONValue? = nil, tags: [String]? = nil, skipTags: [String]? = nil, check: Bool? = nil,
        diff: Bool? = nil, verbosity: Int? = nil, forks: Int? = nil, shardSize: Int? = nil, shards: Int? = nil, timeout: Int? = nil,
        pool: String? = nil, mitogen: Bool? = nil, pipelining: Bool? = nil, deadline: Int? = nil, hosts: [String]? = nil
    ) {
        self.limit = limit
        self.hosts = hosts
        self.extraVars = extraVars
        self.tags = tags
        self.skipTags = skipTags
        self.check = check
        self.diff = diff
        self.verbosity = verbosity
        self.forks = forks
        self.shardSize = shardSize
        self.shards = shards
        self.timeout = timeout
        self.pool = pool
        self.mitogen = mitogen
        self.pipelining = pipelining
        self.deadline = deadline
    }

    enum CodingKeys: String, CodingKey {
        case limit, hosts, tags, check, diff, verbosity, forks, shards, timeout, pool, mitogen, pipelining, deadline
        case extraVars = "extra_vars"
        case skipTags = "skip_tags"
        case shardSize = "shard_size"
    }
}

/// A credential sealed with AES-GCM under the shared `secret_key` (see `CredentialSealer`).
public struct SealedCredential: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    /// Base64 of the AES-GCM combined box (nonce, ciphertext, tag) of a JSON `CredentialSecret`.
    public var sealed: String

    public init(id: Int64, name: String, sealed: String) {
        self.id = id
        self.name = name
        self.sealed = sealed
    }
}

/// What a credential holds once opened.
public struct CredentialSecret: Codable, Sendable, Equatable {
    public var sshPrivateKey: String?
    public var vaultPassword: String?
    /// Remote user for SSH, when the inventory sets none.
    public var username: String?

    public init(sshPrivateKey: String? = nil, vaultPassword: String? = nil, username: String? = nil) {
        self.sshPrivateKey = sshPrivateKey
        self.vaultPassword = vaultPassword
        self.username = username
    }

    enum CodingKeys: String, CodingKey {
        case username
        case sshPrivateKey = "ssh_private_key"
        case vaultPassword = "vault_password"
    }
}
