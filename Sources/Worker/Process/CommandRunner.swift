import Foundation

/// Runs short helper commands (git) to completion and returns their output.
enum CommandRunner {
    struct Output: Sendable {
        var status: ChildProcess.ExitStatus
        var text: String
    }

    /// Runs `executable` with `arguments` in `directory`; output is collected in a temporary file.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String
    ) async throws -> Output {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-cmd-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let child = try ChildProcess.spawn(
            executable: executable, arguments: arguments, environment: environment, directory: directory, outputPath: outputPath)
        let status = await child.wait()
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Output(status: status, text: text)
    }
}
