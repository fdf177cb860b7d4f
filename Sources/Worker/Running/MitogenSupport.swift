import Foundation
import Logging
import Shared

/// Finds out once whether Mitogen for Ansible is installed for the Python that runs `ansible-playbook`
/// and supports its ansible-core, and where its strategy plugins are.
///
/// The interpreter is the one `ansible-playbook --version` reports, so virtualenvs and pyenv shims resolve
/// to the right one; importing `ansible_mitogen.loaders` runs Mitogen's own version check.
actor MitogenSupport {
    private let ansiblePlaybook: String
    private let environment: [String: String]
    private let logger: Logger
    private var detected: String??

    init(ansiblePlaybook: String, environment: [String: String], logger: Logger) {
        self.ansiblePlaybook = ansiblePlaybook
        self.environment = environment
        self.logger = logger
    }

    /// Mitogen's strategy plugin directory, or nil (logged once) when it cannot be used.
    func strategyDirectory() async -> String? {
        if let detected { return detected }
        let result = await detect()
        detected = .some(result)
        return result
    }

    private func detect() async -> String? {
        let directory = FileManager.default.temporaryDirectory.path
        do {
            let version = try await CommandRunner.run(ansiblePlaybook, ["--version"], environment: environment, directory: directory)
            guard version.status == .exited(0), let python = Self.pythonPath(fromVersionOutput: version.text) else {
                logger.warning("Mitogen disabled: cannot tell which Python runs ansible-playbook")
                return nil
            }
            let probe = try await CommandRunner.run(
                python,
                [
                    "-c",
                    "import os, ansible_mitogen.loaders, ansible_mitogen.plugins.strategy as s; print(os.path.dirname(s.__file__))",
                ],
                environment: environment, directory: directory)
            let lines = probe.text.split(separator: "\n").map(String.init)
            guard probe.status == .exited(0), let path = lines.last, FileManager.default.fileExists(atPath: "\(path)/mitogen_linear.py") else {
                logger.warning(
                    "Mitogen disabled: not installed or not compatible with this ansible-core; running plain",
                    metadata: ["python": "\(python)", "reason": "\(lines.suffix(2).joined(separator: " / "))"])
                return nil
            }
            logger.info("Mitogen strategy available", metadata: ["path": "\(path)"])
            return path
        } catch {
            logger.warning("Mitogen disabled: cannot run the probe", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// The interpreter in `ansible-playbook --version`'s line `python version = 3.11.7 (...) (/path/python)`.
    static func pythonPath(fromVersionOutput text: String) -> String? {
        guard let line = text.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("python version") }),
            let open = line.lastIndex(of: "("), let close = line.lastIndex(of: ")"), open < close
        else { return nil }
        let path = String(line[line.index(after: open)..<close])
        return path.hasPrefix("/") ? path : nil
    }
}
