import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs short helper commands (git) to completion and returns their output.
enum CommandRunner {
    struct Output: Sendable {
        var status: ChildProcess.ExitStatus
        var text: String
    }

    /// Runs `executable` with `arguments` in `directory`; output is collected in a temporary file.
    ///
    /// The command runs in its own process group: while it runs it is attached to `control`, so a cancel or
    /// timeout of the run stops the whole group (a stop that came before stops it at once), and cancelling
    /// the calling task (a forced shutdown) kills the group.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String, control: RunControl? = nil
    ) async throws -> Output {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-cmd-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let child = try ChildProcess.spawn(
            executable: executable, arguments: arguments, environment: environment, directory: directory, outputPath: outputPath)
        if let control { await control.attach(child) }
        let status = await withTaskCancellationHandler {
            await child.wait()
        } onCancel: {
            child.signalGroup(SIGKILL)
        }
        if let control { await control.detach() }
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Output(status: status, text: text)
    }
}
