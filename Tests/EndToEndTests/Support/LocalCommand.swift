import Foundation
import Shared

/// Commands the tests run beside the stack (plain `ansible-playbook` for comparison).
enum LocalCommand {
    /// Runs a command in `directory`; returns its output (standard output and error together).
    @discardableResult
    static func run(_ command: String, _ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> String {
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        return try await CommandRunner.run(command, arguments, environment: env, directory: directory.path).text
    }
}
