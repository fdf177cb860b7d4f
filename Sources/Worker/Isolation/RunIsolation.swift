import Foundation
import Shared

/// How this worker runs `ansible-playbook` (`worker.isolation`), resolved once when the worker starts: which
/// paths a sandbox hides and whose `~/.ansible` it keeps private, or which container command it fills in.
struct RunIsolation: Sendable {
    enum Mode: Sendable, Equatable {
        case none
        case bubblewrap(BubblewrapSandbox)
        case container(ContainerTemplate)
    }

    let mode: Mode

    /// No isolation: `ansible-playbook` as a plain child of the worker.
    static let unisolated = RunIsolation(mode: .none)

    /// Whether the run sees the worker's own environment (less its `PANSIBLE_*` variables). A container gets only
    /// the variables set for the run (`worker.environment`, Ansible's settings), through its environment file.
    var passesWorkerEnvironment: Bool { !isContainer }

    /// Whether the worker may point the run at Mitogen's strategy: a path of the worker's own Python means nothing
    /// inside an image, whose own configuration decides.
    var appliesMitogen: Bool { !isContainer }

    private var isContainer: Bool {
        if case .container = mode { return true }
        return false
    }

    /// Resolves the configured mode: makes the work directory (hidden, so it must exist before a sandbox covers
    /// it) and the `~/.ansible` and `~/.ansible_async` a sandbox mounts its private ones on.
    static func resolve(configuration: WorkerConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment) -> RunIsolation {
        switch configuration.isolation {
        case .none:
            return .unisolated
        case .container:
            return RunIsolation(mode: .container(ContainerTemplate(words: configuration.containerCommand, image: configuration.containerImage ?? "")))
        case .bubblewrap:
            let workDirectory = absolute(configuration.workDirectory)
            try? FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            var hidden: [BubblewrapSandbox.Hidden] = [.directory(workDirectory)]
            for path in configuration.sandboxHide {
                var isDirectory: ObjCBool = false
                let path = absolute(path)
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
                hidden.append(isDirectory.boolValue ? .directory(path) : .file(path))
            }
            return RunIsolation(mode: .bubblewrap(BubblewrapSandbox(bubblewrap: configuration.bubblewrap, hidden: hidden, home: home(environment))))
        }
    }

    /// The command that runs `invocation` for the run in `directory`.
    /// - Parameters:
    ///   - workerEnvironment: the environment of the container runtime (the worker's, less its `PANSIBLE_*`).
    ///   - readOnly: directories the run reads that a sandbox must show even below a hidden one.
    func command(
        ansiblePlaybook: String, invocation: AnsibleInvocation, directory: RunDirectory, pluginDirectory: String, readOnly: [String],
        workerEnvironment: [String: String]
    ) -> RunCommand {
        switch mode {
        case .none:
            return RunCommand(executable: ansiblePlaybook, arguments: invocation.arguments, environment: invocation.environment)
        case .bubblewrap(let sandbox):
            let arguments = sandbox.arguments(
                runDirectory: directory.path, runLock: directory.lockPath, readOnly: readOnly, workingDirectory: directory.project,
                command: [ansiblePlaybook] + invocation.arguments)
            return RunCommand(executable: "env", arguments: arguments, environment: invocation.environment)
        case .container(let template):
            let words = template.arguments(
                runDirectory: directory.path, project: directory.project, runLock: directory.lockPath, callbackPlugins: pluginDirectory,
                environmentFile: directory.containerEnvironment, argv: [ansiblePlaybook] + invocation.arguments)
            return RunCommand(
                executable: words.first ?? "", arguments: Array(words.dropFirst()), environment: workerEnvironment,
                environmentFile: ContainerTemplate.environmentFile(invocation.environment))
        }
    }

    private static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The worker user's home when a sandbox can keep `~/.ansible` private in it (both mount points made).
    private static func home(_ environment: [String: String]) -> String? {
        let home = absolute(environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path)
        guard home != "/" else { return nil }
        for name in [".ansible", ".ansible_async"] {
            do {
                try FileManager.default.createDirectory(
                    atPath: "\(home)/\(name)", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                return nil
            }
        }
        return home
    }
}
