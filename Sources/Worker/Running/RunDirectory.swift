import Foundation
import Shared

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The private directory of one run: `<work_dir>/runs/<run id>`, mode 0700, removed when the run ends.
///
/// The worker that makes it holds an exclusive `flock` on `<work_dir>/runs/<run id>.lock` until it removes
/// it, so a worker starting on the same work directory can tell the runs of a crashed worker (which it
/// removes, credential files included) from the live runs of its neighbours (`RunDirectory+Ownership`).
///
/// - `project/`: the playbook repository at the pinned commit (the working directory of the run, so the
///   repository's own `ansible.cfg` applies);
/// - `inventory/inventory.json` and `inventory/group_vars/<group>.json`: the shard's static inventory
///   (Ansible's YAML-inventory structure, read by the `yaml` plugin) and its vars document's group
///   variables, written by `ShardInventory`;
/// - `extra_vars.json`: the job's extra variables, passed as `-e @extra_vars.json`;
/// - `events.jsonl`: what the callback plugin writes; `output.log`: Ansible's stdout and stderr;
/// - `private/`: the credential's key and vault password files (0600), removed first;
/// - `container.env`: the container's environment (`isolation: container` only).
struct RunDirectory: Sendable {
    let path: String
    /// The run's ownership lock, when this worker made the directory.
    var ownershipLock: RunLock? = nil

    var project: String { "\(path)/project" }
    var inventoryDirectory: String { "\(path)/inventory" }
    var inventoryFile: String { "\(inventoryDirectory)/inventory.json" }
    var extraVars: String { "\(path)/extra_vars.json" }
    var events: String { "\(path)/events.jsonl" }
    var output: String { "\(path)/output.log" }
    var privateDirectory: String { "\(path)/private" }
    var sshKey: String { "\(privateDirectory)/ssh_key" }
    var vaultPassword: String { "\(privateDirectory)/vault_password" }
    /// The ownership lock (`RunDirectory+Ownership`), next to the directory.
    var lockPath: String { path + Self.lockSuffix }
    /// The container's environment file (`{env_file}`, `isolation: container`).
    var containerEnvironment: String { "\(path)/container.env" }

    static func create(workDirectory: String, runID: UUID) throws -> RunDirectory {
        let runs = runsDirectory(workDirectory: workDirectory)
        try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = "\(runs)/\(runID.uuidString.lowercased())"
        // Locked before the directory exists: a run directory whose lock nobody holds is a dead worker's.
        let directory = RunDirectory(path: path, ownershipLock: RunLock(descriptor: try lockOwnership(path: path + lockSuffix)))
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            try FileManager.default.createDirectory(
                atPath: directory.privateDirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            directory.remove()
            throw error
        }
        _ = FileManager.default.createFile(atPath: directory.events, contents: nil, attributes: [.posixPermissions: 0o600])
        _ = FileManager.default.createFile(atPath: directory.output, contents: nil, attributes: [.posixPermissions: 0o600])
        return directory
    }

    /// Writes the shard's inventory and group variables (`ShardInventory.write(to:)`).
    func writeInventory(_ inventory: JSONValue, groupVars: JSONValue?) throws {
        guard case .object = inventory else {
            throw RunPreparationError.badInventory("the shard's inventory is not a JSON object")
        }
        try ShardInventory(inventory: inventory, groupVars: groupVars).write(to: URL(fileURLWithPath: inventoryDirectory))
    }

    func writeExtraVars(_ extraVars: JSONValue) throws {
        guard case .object = extraVars else {
            throw RunPreparationError.badExtraVars
        }
        try MessageCoding.encoder().encode(extraVars).write(to: URL(fileURLWithPath: self.extraVars))
    }

    /// Writes a secret file readable by this user only; it is created 0600 before anything is written.
    func writeSecret(_ text: String, to file: String) throws {
        var content = text
        if file == sshKey && !content.hasSuffix("\n") { content += "\n" }
        guard FileManager.default.createFile(atPath: file, contents: Data(content.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw RunPreparationError.cannotWriteSecret
        }
    }

    func removeSecrets() {
        try? FileManager.default.removeItem(atPath: privateDirectory)
    }

    /// Removes the directory, then its lock file, then lets go of the lock (once, whichever copy asks first).
    func remove() {
        removeSecrets()
        try? FileManager.default.removeItem(atPath: path)
        ownershipLock?.release(removing: lockPath)
    }

    /// `<work_dir>/runs`, standardized.
    static func runsDirectory(workDirectory: String) -> String {
        URL(fileURLWithPath: workDirectory).standardizedFileURL.path + "/runs"
    }
}

/// Why a run could not be prepared (reported as a `shard_error`, never with secret material).
enum RunPreparationError: Error, CustomStringConvertible {
    case badInventory(String)
    case badExtraVars
    case cannotWriteSecret
    case noSecretKey
    case credential(String)
    case badEntry(String)
    case runLock(String)

    var description: String {
        switch self {
        case .badInventory(let reason): return reason
        case .badExtraVars: return "options.extra_vars must be a JSON object"
        case .cannotWriteSecret: return "cannot write the credential into the run directory"
        case .noSecretKey: return "the job has a credential but this worker has no secret_key to open it"
        case .credential(let reason): return "credential: \(reason)"
        case .badEntry(let entry): return "playbook.entry '\(entry)' is not a playbook file inside the repository"
        case .runLock(let reason): return "cannot lock the run directory: \(reason)"
        }
    }
}
