import Foundation
import Shared
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
        let output = try await CommandRunner.run(
            arguments[0], Array(arguments.dropFirst()), environment: environment, directory: FileManager.default.temporaryDirectory.path,
            separateErrors: true
        )
        return Result(status: output.status.code, stdout: output.text, stderr: output.errors ?? "")
    }
}
