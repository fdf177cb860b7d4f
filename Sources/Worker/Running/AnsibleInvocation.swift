import Foundation
import Shared

/// The command line and environment of one `ansible-playbook` run (pure: built from the shard, the
/// worker's configuration and the run directory).
struct AnsibleInvocation: Sendable, Equatable {
    var arguments: [String]
    var environment: [String: String]

    /// - Parameters:
    ///   - baseEnvironment: the worker's environment; its `PANSIBLE_*` variables (secrets among them) are
    ///     never passed on.
    ///   - mitogenStrategies: Mitogen's strategy plugin directory when this run uses Mitogen.
    init(
        shard: ShardMessage, directory: RunDirectory, configuration: WorkerConfiguration, pluginDirectory: String,
        baseEnvironment: [String: String], secret: CredentialSecret?, mitogenStrategies: String?
    ) {
        let options = shard.options
        var arguments = [shard.playbook.entry, "-i", directory.inventoryFile]
        if options.extraVars != nil {
            arguments += ["-e", "@\(directory.extraVars)"]
        }
        if let tags = options.tags, !tags.isEmpty {
            arguments += ["--tags", tags.joined(separator: ",")]
        }
        if let skipTags = options.skipTags, !skipTags.isEmpty {
            arguments += ["--skip-tags", skipTags.joined(separator: ",")]
        }
        if options.check == true { arguments.append("--check") }
        if options.diff == true { arguments.append("--diff") }
        if let verbosity = options.verbosity, verbosity > 0 {
            arguments.append("-" + String(repeating: "v", count: min(verbosity, 6)))
        }
        if let forks = options.forks, forks > 0 {
            arguments += ["--forks", String(forks)]
        }
        if secret?.sshPrivateKey != nil {
            arguments += ["--private-key", directory.sshKey]
        }
        if let user = secret?.username, !user.isEmpty {
            arguments += ["--user", user]
        }
        if secret?.vaultPassword != nil {
            arguments += ["--vault-password-file", directory.vaultPassword]
        }
        self.arguments = arguments

        var environment = baseEnvironment.filter { !$0.key.hasPrefix("PANSIBLE_") }
        environment.merge(configuration.environment) { _, configured in configured }
        environment["ANSIBLE_CALLBACK_PLUGINS"] = Self.prepend(pluginDirectory, to: environment["ANSIBLE_CALLBACK_PLUGINS"], separator: ":")
        environment["ANSIBLE_CALLBACKS_ENABLED"] = Self.append("pansible", to: environment["ANSIBLE_CALLBACKS_ENABLED"])
        // Only the shard's static inventory is read, by the yaml plugin, whatever the repository's
        // ansible.cfg enables.
        environment["ANSIBLE_INVENTORY_ENABLED"] = "yaml"
        environment["PANSIBLE_EVENTS_FILE"] = directory.events
        environment["PANSIBLE_RESULT_MAX_BYTES"] = String(configuration.resultMaxBytes)
        // Paths only, no secret: what the callback plugin needs (docs/worker.md lists them).
        environment["PANSIBLE_RUN_LOCK"] = directory.lockPath
        environment["PANSIBLE_SECRETS_DIR"] = directory.privateDirectory
        if secret?.sshPrivateKey != nil {
            environment["ANSIBLE_PRIVATE_KEY_FILE"] = directory.sshKey
        }
        // SSH pipelining: one SSH operation per task instead of several (the SSH connection only; sudo must not
        // require a tty). A job's `pipelining: false` turns it off; otherwise a worker's own ANSIBLE_PIPELINING stays.
        if options.pipelining == false {
            environment["ANSIBLE_PIPELINING"] = "False"
        } else if environment["ANSIBLE_PIPELINING"] == nil {
            environment["ANSIBLE_PIPELINING"] = "True"
        }
        if let mitogenStrategies {
            environment["ANSIBLE_STRATEGY_PLUGINS"] = Self.prepend(mitogenStrategies, to: environment["ANSIBLE_STRATEGY_PLUGINS"], separator: ":")
            environment["ANSIBLE_STRATEGY"] = "mitogen_linear"
        }
        self.environment = environment
    }

    static func prepend(_ value: String, to existing: String?, separator: String) -> String {
        guard let existing, !existing.isEmpty else { return value }
        return value + separator + existing
    }

    static func append(_ name: String, to existing: String?) -> String {
        let names = (existing ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return (names.contains(name) ? names : names + [name]).joined(separator: ",")
    }

    /// Whether `entry` is a relative path that stays inside the repository.
    static func isSafeEntry(_ entry: String) -> Bool {
        !entry.isEmpty && !entry.hasPrefix("/") && !entry.split(separator: "/").contains("..")
    }
}
