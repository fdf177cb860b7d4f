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
        /// Whether the command was killed because it ran past its timeout.
        public var timedOut: Bool
    }

    /// Runs `executable` with `arguments` in `directory`; output and errors are collected in a temporary file.
    ///
    /// The command runs in its own process group. `started` gets the child once it runs (to stop it from
    /// elsewhere) and `ended` once it is gone; cancelling the calling task (a forced shutdown) kills the group, and
    /// so does `timeout`.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String, timeout: Duration? = nil,
        started: (@Sendable (ChildProcess) async -> Void)? = nil, ended: (@Sendable () async -> Void)? = nil
    ) async throws -> Output {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-cmd-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let child = try await ChildProcess.spawn(
            executable: executable, arguments: arguments, environment: environment, directory: directory, outputPath: outputPath)
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
        return Output(status: status, text: text, timedOut: timedOut)
    }
}
