import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs short helper commands (git, `ansible-playbook --version`) to completion and returns their output.
public enum CommandRunner {
    public struct Output: Sendable {
        public var status: ChildProcess.ExitStatus
        public var text: String
        /// Standard error, when it was kept apart (`separateErrors`).
        public var errors: String?
        /// Whether the command was killed because it ran past its timeout.
        public var timedOut: Bool
    }

    /// Runs `executable` with `arguments` in `directory`; output and errors are collected in a temporary file, or
    /// two with `separateErrors`.
    ///
    /// The command runs in its own process group. `started` gets the child once it runs (to stop it from
    /// elsewhere) and `ended` once it is gone; cancelling the calling task (a forced shutdown) kills the group, and
    /// so does `timeout`.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String, timeout: Duration? = nil,
        separateErrors: Bool = false, started: (@Sendable (ChildProcess) async -> Void)? = nil, ended: (@Sendable () async -> Void)? = nil
    ) async throws -> Output {
        let name = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-cmd-\(UUID().uuidString)").path
        let outputPath = name + ".out"
        let errorPath = separateErrors ? name + ".err" : nil
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            if let errorPath { try? FileManager.default.removeItem(atPath: errorPath) }
        }
        let child = try await ChildProcess.spawn(
            executable: executable, arguments: arguments, environment: environment, directory: directory, outputPath: outputPath,
            errorPath: errorPath)
        await started?(child)
        let timer = timeout.map { timeout in
            Task {
                try await Task.sleep(for: timeout)
                child.signalGroup(SIGKILL)
                return true
            }
        }
        let status = await withTaskCancellationHandler {
            await child.wait()
        } onCancel: {
            child.signalGroup(SIGKILL)
        }
        timer?.cancel()
        let timedOut = (try? await timer?.value) ?? false
        await ended?()
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let errors = errorPath.map { (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "" }
        return Output(status: status, text: text, errors: errors, timedOut: timedOut)
    }
}
