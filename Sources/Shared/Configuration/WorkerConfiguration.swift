import Foundation

/// The `worker` section.
public struct WorkerConfiguration: Sendable {
    /// `worker.port`: health and metrics; 0 picks a free port (several workers on one machine). Default 0.
    public var address: ListenAddress
    /// `worker.pool`: the pool whose shard queue this worker consumes. Default `default`.
    public var pool: String
    /// `worker.concurrency`: shards run at once (prefetch follows). `auto` (the default): the processors this
    /// worker may use (its CPU quota, else its affinity), at least 1.
    public var concurrency: Int
    /// The processors `concurrency` was taken from; nil when it was set by hand.
    public var cpuCapacity: CPUCapacity?
    /// `worker.ansible_playbook`: the `ansible-playbook` to run. Default found on PATH.
    public var ansiblePlaybook: String
    /// `worker.work_dir`: repository cache and run directories. Default `.pansible/worker`.
    public var workDirectory: String
    /// `worker.timeout`: seconds a shard may run when the job sets no `timeout`. Default 3600.
    public var timeout: Int
    /// `worker.mitogen`: `auto` (the default) runs shards with the Mitogen strategy whenever the probe finds it
    /// installed and compatible with this ansible-core; `true` asks for it (logged when it cannot be used);
    /// `false` never uses it. A job's `"mitogen": false` turns it off for that job.
    public var mitogen: MitogenMode
    /// `worker.heartbeat_interval`: seconds between the heartbeats that announce this worker and its free
    /// slots to the splitters. Default 2.
    public var heartbeatInterval: Double
    /// `worker.id`: names this worker in events. Default `<host name>-<pid>`.
    public var workerID: String
    /// `worker.environment.<NAME>`: extra environment for `ansible-playbook` (and git); also
    /// `PANSIBLE_WORKER_ENVIRONMENT_<NAME>`. Default none.
    public var environment: [String: String]
    /// `worker.callback_plugins`: the directory holding `pansible.py`. Default: `callback_plugins` in the
    /// current directory, next to the executable's package, or `/usr/share/pansible/callback_plugins`.
    public var callbackPlugins: String?
    /// `worker.cancel_grace`: seconds between SIGINT and SIGTERM when a run is stopped. Default 10.
    public var cancelGrace: Double
    /// `worker.kill_grace`: seconds between SIGTERM and SIGKILL when a run is stopped. Default 5.
    public var killGrace: Double
    /// `worker.batch_size`: events per published message at most. Default 200.
    public var batchSize: Int
    /// `worker.batch_interval_ms`: longest wait before a partial batch is published. Default 50.
    public var batchIntervalMilliseconds: Int
    /// `worker.buffer_events`: events of one run held in memory while the broker is slow or away; past it
    /// the run's events wait in its local events file (nothing is dropped). Default 10000.
    public var bufferEvents: Int
    /// `worker.result_max_bytes`: a task result larger than this (as JSON) is trimmed and flagged. Default 256KiB.
    public var resultMaxBytes: Int

    public init(source: ConfigurationSource) throws {
        self.address = try source.address("worker.port", default: ListenAddress(host: "127.0.0.1", port: 0))
        self.pool = source.string("worker.pool", default: "default")
        guard !pool.isEmpty, pool.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ConfigurationError(key: "worker.pool", message: "expected letters, digits, - or _, got '\(pool)'")
        }
        if source.string("worker.concurrency", default: "auto").trimmingCharacters(in: .whitespaces).lowercased() == "auto" {
            let capacity = CPUCapacity.current()
            self.cpuCapacity = capacity
            self.concurrency = capacity.slots
        } else {
            self.cpuCapacity = nil
            self.concurrency = try source.int("worker.concurrency", default: 1, range: 1...256)
        }
        self.ansiblePlaybook = source.string("worker.ansible_playbook", default: "ansible-playbook")
        self.workDirectory = source.string("worker.work_dir", default: ".pansible/worker")
        self.timeout = try source.int("worker.timeout", default: 3600, range: 1...604_800)
        self.mitogen = try MitogenMode(source: source, key: "worker.mitogen")
        self.heartbeatInterval = try source.double("worker.heartbeat_interval", default: 2, minimum: 0.1)
        let defaultID = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        self.workerID = source.string("worker.id").flatMap { $0.isEmpty ? nil : $0 } ?? defaultID
        self.environment = source.mapping("worker.environment")
        self.callbackPlugins = source.string("worker.callback_plugins").flatMap { $0.isEmpty ? nil : $0 }
        self.cancelGrace = try source.double("worker.cancel_grace", default: 10)
        self.killGrace = try source.double("worker.kill_grace", default: 5)
        self.batchSize = try source.int("worker.batch_size", default: 200, range: 1...100_000)
        self.batchIntervalMilliseconds = try source.int("worker.batch_interval_ms", default: 50, range: 1...60_000)
        self.bufferEvents = try source.int("worker.buffer_events", default: 10_000, range: 1...10_000_000)
        self.resultMaxBytes = try source.byteSize("worker.result_max_bytes", default: 256 << 10)
    }
}

/// Whether a worker runs shards with the Mitogen strategy.
public enum MitogenMode: String, Sendable, Equatable {
    /// Whenever the probe finds it installed and compatible.
    case auto
    /// Asked for: a warning is logged when it cannot be used, and the run goes ahead plain.
    case on = "true"
    /// Never.
    case off = "false"

    init(source: ConfigurationSource, key: String) throws {
        let text = source.string(key, default: "auto").trimmingCharacters(in: .whitespaces).lowercased()
        switch text {
        case "auto": self = .auto
        case "true", "yes", "on", "1": self = .on
        case "false", "no", "off", "0": self = .off
        default: throw ConfigurationError(key: key, message: "expected auto, true or false, got '\(text)'")
        }
    }
}
