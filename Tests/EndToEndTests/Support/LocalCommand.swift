import Foundation
import Shared
import TestSupport

/// Commands the tests run beside the stack (plain `ansible-playbook` for comparison).
enum LocalCommand {
    /// Runs a command in `directory`; returns its output (standard output and error together).
    @discardableResult
    static func run(_ command: String, _ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> String {
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        return try await CommandRunner.run(command, arguments, environment: env, directory: directory.path).text
    }

    /// Runs the built `pansible` command line against `stack`; returns its exit status and output.
    static func pansible(_ arguments: [String], stack: Stack) async throws -> (status: Int32, output: String) {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PANSIBLE_") }
        environment["PANSIBLE_URL"] = stack.gatewayURL.absoluteString
        environment["PANSIBLE_TOKEN"] = stack.adminToken
        // No PANSIBLE_WS_URL: the command finds live progress where the gateway shows it (from ws_port).
        let output = try await CommandRunner.run(
            ServiceProcess.binaryDirectory.appendingPathComponent("pansible").path, arguments, environment: environment,
            directory: stack.directory.path, timeout: .seconds(300)
        )
        return (output.status.code, output.text)
    }
}
