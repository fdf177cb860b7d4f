import Foundation
import Shared
import TestSupport
import Testing

/// Every built process exits 78 (EX_CONFIG) with one line on stderr naming the key when a configuration value
/// is wrong. Needs no server: the processes stop before they connect to anything.
@Suite struct ConfigurationExitTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var binary: String
        var arguments: [String] = []
        var environment: [String: String]
        /// The start of the one line on stderr.
        var line: String
        var testDescription: String { "\(binary) \(line)" }
    }

    static let cases =
        ["pansible-gateway", "pansible-splitter", "pansible-worker", "pansible-collector"].map {
            Case(
                binary: $0, environment: ["PANSIBLE_LOG_LEVEL": "loud"],
                line: "\($0): configuration error: log_level (env PANSIBLE_LOG_LEVEL): expected trace, debug")
        } + [
            Case(
                binary: "pansible-gateway", environment: ["PANSIBLE_PROGRESS_URL": "http://collector:5858"],
                line: "pansible-gateway: configuration error: progress_url (env PANSIBLE_PROGRESS_URL): expected a ws:// or wss:// URL"),
            // Found while building rather than reading: the gateway's required secret.
            Case(
                binary: "pansible-gateway", environment: ["PANSIBLE_SECRET_KEY": "c2VjcmV0"],
                line: "pansible-gateway: configuration error: admin_token (env PANSIBLE_ADMIN_TOKEN): required"),
            // A command-line override goes through the same check.
            Case(
                binary: "pansible-worker", arguments: ["--pool", "bad pool"], environment: [:],
                line: "pansible-worker: configuration error: worker.pool (env PANSIBLE_WORKER_POOL):"),
            Case(
                binary: "pansible-splitter", arguments: ["--config", "/nonexistent/pansible.yml"], environment: [:],
                line: "pansible-splitter: configuration error: /nonexistent/pansible.yml"),
        ]

    @Test(arguments: cases)
    func aBadValueExits78WithOneLine(_ test: Case) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-exit-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // No ./pansible.yml in the directory and no PANSIBLE_* but the case's: only the value under test is wrong.
        // A process that got past its configuration would wait for servers: it has failed, and is stopped.
        let output = try await CommandRunner.run(
            ServiceProcess.binaryDirectory.appendingPathComponent(test.binary).path, test.arguments,
            environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PANSIBLE_") }.merging(test.environment) { $1 },
            directory: directory.path, timeout: .seconds(60), separateErrors: true
        )

        #expect(!output.timedOut)
        #expect(output.status == .exited(78))
        let lines = (output.errors ?? "").split(separator: "\n")
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.hasPrefix(test.line) == true, "\(lines)")
    }
}
