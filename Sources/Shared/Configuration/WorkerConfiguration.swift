/// The `worker` section.
public struct WorkerConfiguration: Sendable {
    /// `worker.port`: health and metrics; 0 picks a free port (several workers on one machine). Default 0.
    public var address: ListenAddress
    /// `worker.pool`: the pool whose shard queue this worker consumes. Default `default`.
    public var pool: String
    /// `worker.concurrency`: shards run at once (prefetch follows). Default 2.
    public var concurrency: Int
    /// `worker.ansible_playbook`: the `ansible-playbook` to run. Default found on PATH.
    public var ansiblePlaybook: String
    /// `worker.work_dir`: repository cache and run directories. Default `.pansible/worker`.
    public var workDirectory: String
    /// `worker.timeout`: seconds a shard may run when the job sets no `timeout`. Default 3600.
    public var timeout: Int
    /// `worker.mitogen`: run with the Mitogen strategy when it is installed. Default false.
    public var mitogen: Bool

    public init(source: ConfigurationSource) throws {
        self.address = try source.address("worker.port", default: ListenAddress(host: "127.0.0.1", port: 0))
        self.pool = source.string("worker.pool", default: "default")
        guard !pool.isEmpty, pool.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ConfigurationError(key: "worker.pool", message: "expected letters, digits, - or _, got '\(pool)'")
        }
        self.concurrency = try source.int("worker.concurrency", default: 2, range: 1...256)
        self.ansiblePlaybook = source.string("worker.ansible_playbook", default: "ansible-playbook")
        self.workDirectory = source.string("worker.work_dir", default: ".pansible/worker")
        self.timeout = try source.int("worker.timeout", default: 3600, range: 1...604_800)
        self.mitogen = try source.bool("worker.mitogen", default: false)
    }
}
