/// The process the worker spawns for one run: `ansible-playbook` itself, or the sandbox or container runtime
/// that starts it (pure data, built by `RunIsolation`).
struct RunCommand: Sendable, Equatable {
    var executable: String
    var arguments: [String]
    var environment: [String: String]
    /// `NAME=value` lines the runner writes to the run's `container.env` before it spawns the container runtime
    /// (`{env_file}`); nil for the other modes.
    var environmentFile: String?
}
