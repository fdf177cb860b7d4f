/// How a worker isolates each run of `ansible-playbook` (`worker.isolation`).
public enum IsolationMode: String, Sendable, Equatable {
    /// In a bubblewrap sandbox: its own PID namespace and `/tmp`, the filesystem read-only, only its own run
    /// directory writable, the worker's state directories hidden. The default.
    case bubblewrap
    /// Inside an execution-environment image, through `worker.container_command` (podman or docker).
    case container
    /// As a plain child of the worker, with the worker's user and view of the machine.
    case none

    init(source: ConfigurationSource, key: String) throws {
        let text = source.string(key, default: "bubblewrap").trimmingCharacters(in: .whitespaces).lowercased()
        guard let mode = IsolationMode(rawValue: text) else {
            throw ConfigurationError(key: key, message: "expected bubblewrap, container or none, got '\(text)'")
        }
        self = mode
    }
}
