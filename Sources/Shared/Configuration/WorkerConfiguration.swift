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
    /// `worker.isolation`: `bubblewrap` (the default), `container` or `none`; see `IsolationMode` and docs/worker.md.
    public var isolation: IsolationMode
    /// `worker.bubblewrap`: the `bwrap` to run sandboxes with. Default found on PATH.
    public var bubblewrap: String
    /// `worker.sandbox_hide`: more paths a sandboxed run must not see (an empty directory, or an empty file, in
    /// their place), besides `work_dir`, `/tmp` and the worker's configuration file. Relative paths are taken from
    /// the worker's working directory; missing ones are skipped. Default `.pansible` (the local stack's state).
    public var sandboxHide: [String]
    /// `worker.container_command`: the command line that runs a shard in an execution-environment image with
    /// `isolation: container`, words separated by spaces; placeholders `{image}`, `{run_dir}`, `{project}`,
    /// `{run_lock}`, `{callback_plugins}`, `{env_file}`, and `{argv}` (a word of its own: `ansible-playbook` and its
    /// arguments). Default: podman (see pansible.yml).
    public var containerCommand: [String]
    /// `worker.container_image`: the image `{image}` names; required with `isolation: container`.
    public var containerImage: String?

    /// The default `worker.container_command`.
    public static let defaultContainerCommand = words(
        "podman run --rm --network host --workdir {project} --volume {run_dir}:{run_dir} --volume {run_lock}:{run_lock}:ro"
            + " --volume {callback_plugins}:{callback_plugins}:ro --env-file {env_file} {image} {argv}")

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
        self.isolation = try IsolationMode(source: source, key: "worker.isolation")
        self.bubblewrap = source.string("worker.bubblewrap").flatMap { $0.isEmpty ? nil : $0 } ?? "bwrap"
        self.sandboxHide = Self.list(source.string("worker.sandbox_hide", default: ".pansible"))
        let command = source.string("worker.container_command").map(Self.words) ?? Self.defaultContainerCommand
        self.containerImage = source.string("worker.container_image").flatMap { $0.isEmpty ? nil : $0 }
        self.containerCommand = command
        if isolation == .container {
            guard containerImage != nil else {
                throw ConfigurationError(key: "worker.container_image", message: "required with worker.isolation: container")
            }
            guard command.contains("{argv}") else {
                throw ConfigurationError(key: "worker.container_command", message: "must have {argv} as a word of its own")
            }
        }
    }

    /// A YAML list (flattened as `a,b`) or a comma-separated value, without empty items.
    private static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A command line: words separated by spaces (no quoting).
    private static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
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
