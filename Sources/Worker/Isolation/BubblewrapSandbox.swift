/// The bubblewrap command line that runs one `ansible-playbook` in a sandbox (pure: paths in, argv out).
///
/// Inside the sandbox: a PID namespace of its own with a fresh `/proc` (neither the worker nor other runs are
/// there to see), its own IPC namespace, no capabilities, the host's filesystem read-only, a private `/tmp`,
/// the worker's state directories (`hidden`) covered by empty ones, and only this run's directory writable.
/// The network is the host's, so SSH hosts are reached as before.
///
/// Ansible's per-user state lives in a private tmpfs over `~/.ansible` (its local and remote temporary files for
/// the local connection, SSH control sockets), with installed collections, roles and plugins bound back read-only;
/// `~/.ansible_async` is private too.
///
/// Signals: the worker stops a run by signalling its process group, which holds bwrap, bwrap's init in the
/// namespace and Ansible's processes. bwrap itself dies of SIGINT and SIGTERM, which would cut Ansible's
/// clean stop short, so it runs with both ignored (`env --ignore-signal`) and `ansible-playbook` gets them back
/// (`env --default-signal`). SIGKILL ends the group, and with bwrap's init the whole namespace: processes a
/// run started in sessions of their own (SSH control masters, background jobs) go too.
struct BubblewrapSandbox: Sendable, Equatable {
    /// A path the run must not see.
    enum Hidden: Sendable, Equatable {
        /// Covered by an empty tmpfs.
        case directory(String)
        /// Covered by an empty file.
        case file(String)
    }

    /// The `bwrap` to run.
    var bubblewrap: String
    /// Covered, in this order, after the private `/tmp`: the worker's work directory, `worker.sandbox_hide`, its
    /// configuration file. Absolute paths.
    var hidden: [Hidden]
    /// The worker user's home (absolute), for the private `~/.ansible`; nil: none.
    var home: String?

    /// Entries of `~/.ansible` a run reads and never writes; bound back read-only when they exist.
    static let sharedAnsibleEntries = ["collections", "roles", "plugins"]

    /// Everything before bwrap's own options: bwrap runs with SIGINT and SIGTERM ignored.
    var launcher: [String] { ["--ignore-signal=INT", "--ignore-signal=TERM", bubblewrap] }

    /// The options every sandbox starts with (also the trial run at the worker's start).
    static let namespaceOptions = [
        "--unshare-pid", "--unshare-ipc", "--cap-drop", "ALL", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
    ]

    /// The command line: `env` (SIGINT and SIGTERM ignored) running bwrap, running `env` (both back to their
    /// defaults) running `command`.
    /// - Parameters:
    ///   - runDirectory: bound read-write at its own path, so every path of the invocation stays valid.
    ///   - runLock: the run's ownership lock, bound read-only (the callback plugin watches it to outlive no worker).
    ///   - readOnly: directories the run needs that may sit under a hidden one (the callback plugin, Mitogen's
    ///     strategies), bound back read-only.
    ///   - workingDirectory: where `command` starts (the run's project).
    func arguments(runDirectory: String, runLock: String, readOnly: [String], workingDirectory: String, command: [String]) -> [String] {
        var arguments = launcher + Self.namespaceOptions
        for hidden in hidden {
            switch hidden {
            case .directory(let path) where !Self.isInside(path, "/tmp"): arguments += ["--tmpfs", path]
            case .file(let path) where !Self.isInside(path, "/tmp"): arguments += ["--ro-bind", "/dev/null", path]
            default: break
            }
        }
        if let home {
            arguments += ["--tmpfs", "\(home)/.ansible"]
            for entry in Self.sharedAnsibleEntries {
                arguments += ["--ro-bind-try", "\(home)/.ansible/\(entry)", "\(home)/.ansible/\(entry)"]
            }
            arguments += ["--tmpfs", "\(home)/.ansible_async"]
        }
        for path in readOnly {
            arguments += ["--ro-bind", path, path]
        }
        arguments += ["--bind", runDirectory, runDirectory, "--ro-bind", runLock, runLock, "--chdir", workingDirectory]
        return arguments + ["--", "env", "--default-signal=INT,TERM"] + command
    }

    /// Whether `path` is `directory` or below it.
    static func isInside(_ path: String, _ directory: String) -> Bool {
        path == directory || path.hasPrefix(directory.hasSuffix("/") ? directory : directory + "/")
    }
}
