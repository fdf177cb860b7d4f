import Foundation
import TestSupport
import Testing

/// Runs the installed ansible-core commands for the differential tests.
enum AnsibleCLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Whether `ansible-inventory` can run here. Under `make test` (PANSIBLE_TEST_SERVICES=1) it must.
    static let isAvailable: Bool = {
        let found = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/ansible-inventory")
        }
        if !found {
            if TestServices.required {
                Issue.record("ansible-inventory is not on PATH, but the differential tests must run under make test")
            } else {
                print("Skipping the differential inventory tests: ansible-inventory is not on PATH")
            }
        }
        return found
    }()

    /// Environment that makes Ansible read only YAML/JSON inventories and fail (not warn) when it cannot.
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["ANSIBLE_INVENTORY_ENABLED"] = "yaml"
        environment["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "true"
        environment["ANSIBLE_HOST_PATTERN_MISMATCH"] = "ignore"
        environment["ANSIBLE_LOCALHOST_WARNING"] = "false"
        environment["ANSIBLE_NOCOLOR"] = "1"
        environment["ANSIBLE_DEPRECATION_WARNINGS"] = "false"
        return environment
    }

    static func run(_ arguments: [String]) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-ansible-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let stdoutURL = directory.appendingPathComponent("stdout")
        let stderrURL = directory.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = stdout
        process.standardError = stderr
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try stdout.close()
        try stderr.close()
        return Result(
            status: status, stdout: try String(contentsOf: stdoutURL, encoding: .utf8), stderr: try String(contentsOf: stderrURL, encoding: .utf8))
    }
}
