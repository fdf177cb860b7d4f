import Foundation
import Shared

/// The private directory of one run: `<work_dir>/runs/<run id>`, mode 0700, removed when the run ends.
///
/// - `project/`: the playbook repository at the pinned commit (the working directory of the run, so the
///   repository's own `ansible.cfg` applies);
/// - `inventory.json` and `inventory.sh`: the shard's inventory in `ansible-inventory --list` form, served
///   by a two-line script through Ansible's `script` inventory plugin, which reads that form as it is
///   (groups, children, group vars and `_meta.hostvars` come through exactly);
/// - `extra_vars.json`: the job's extra variables, passed as `-e @extra_vars.json`;
/// - `events.jsonl`: what the callback plugin writes; `output.log`: Ansible's stdout and stderr;
/// - `private/`: the credential's key and vault password files (0600), removed first.
struct RunDirectory: Sendable {
    let path: String

    var project: String { "\(path)/project" }
    var inventoryScript: String { "\(path)/inventory.sh" }
    var inventoryJSON: String { "\(path)/inventory.json" }
    var extraVars: String { "\(path)/extra_vars.json" }
    var events: String { "\(path)/events.jsonl" }
    var output: String { "\(path)/output.log" }
    var privateDirectory: String { "\(path)/private" }
    var sshKey: String { "\(privateDirectory)/ssh_key" }
    var vaultPassword: String { "\(privateDirectory)/vault_password" }

    static func create(workDirectory: String, runID: UUID) throws -> RunDirectory {
        let root = URL(fileURLWithPath: workDirectory).standardizedFileURL.path
        let directory = RunDirectory(path: "\(root)/runs/\(runID.uuidString.lowercased())")
        try FileManager.default.createDirectory(
            atPath: directory.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.createDirectory(
            atPath: directory.privateDirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        _ = FileManager.default.createFile(atPath: directory.events, contents: nil, attributes: [.posixPermissions: 0o600])
        _ = FileManager.default.createFile(atPath: directory.output, contents: nil, attributes: [.posixPermissions: 0o600])
        return directory
    }

    /// Writes the inventory and its script. A missing `_meta` gets an empty one, so Ansible never calls
    /// the script once per host.
    func writeInventory(_ inventory: JSONValue) throws {
        guard case .object(var object) = inventory else {
            throw RunPreparationError.badInventory("the shard's inventory is not a JSON object")
        }
        if object["_meta"] == nil {
            object["_meta"] = .object(["hostvars": .object([:])])
        }
        try MessageCoding.encoder().encode(JSONValue.object(object)).write(to: URL(fileURLWithPath: inventoryJSON))
        let quoted = inventoryJSON.replacingOccurrences(of: "'", with: "'\\''")
        try "#!/bin/sh\nexec cat '\(quoted)'\n".write(toFile: inventoryScript, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: inventoryScript)
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

    func remove() {
        removeSecrets()
        try? FileManager.default.removeItem(atPath: path)
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

    var description: String {
        switch self {
        case .badInventory(let reason): return reason
        case .badExtraVars: return "options.extra_vars must be a JSON object"
        case .cannotWriteSecret: return "cannot write the credential into the run directory"
        case .noSecretKey: return "the job has a credential but this worker has no secret_key to open it"
        case .credential(let reason): return "credential: \(reason)"
        case .badEntry(let entry): return "playbook.entry '\(entry)' is not a playbook file inside the repository"
        }
    }
}
