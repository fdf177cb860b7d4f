import Foundation
import Shared
import TestSupport
import Testing

/// A job over real SSH hosts (sshd on loopback addresses, `scripts/ssh-fleet.sh`), logged into with a key
/// uploaded as a credential through the API: the key travels sealed, is written for the run only, and is
/// gone when the run ends.
@Suite(.enabled(if: TestServices.available))
struct SSHFleetJobTests {
    static let playbook = """
        - name: Over SSH
          hosts: all
          gather_facts: false
          tasks:
            - ansible.builtin.ping:
            - ansible.builtin.command: "true"
            - ansible.builtin.stat:
                path: /
        """

    @Test func jobOverSSHWithAnUploadedKey() async throws {
        let stack = try await Stack.start(workers: 2)
        let fleet = SSHFleet(directory: stack.directory.appendingPathComponent("fleet"), hosts: 6, port: TestServices.freePort())
        do {
            try await fleet.up()
            try await run(stack, fleet: fleet)
        } catch {
            Issue.record("\(error)\n\(stack.logs())")
        }
        await fleet.down()
        await stack.stop()
    }

    private func run(_ stack: Stack, fleet: SSHFleet) async throws {
        let key = try String(contentsOf: fleet.clientKey, encoding: .utf8)
        let credential = try await stack.api("POST", "/api/v1/credential", body: ["name": "fleet", "ssh_private_key": key, "username": "root"])
        #expect(credential.status == 201, "\(credential.text)")
        // Write-only: the key never comes back.
        #expect(!credential.text.contains("PRIVATE KEY"))

        let repository = try await GitRepositoryFixture.create(files: ["site.yml": Self.playbook], in: stack.directory.path)
        let inventory = try await stack.api(
            "POST", "/api/v1/inventory", body: ["name": "fleet", "env": "test", "version": "1", "hosts": try await fleet.inventory()])
        #expect(inventory.status == 201, "\(inventory.text)")
        let playbook = try await stack.api("POST", "/api/v1/playbook", body: ["name": "ssh", "git_repo": repository.url.path, "entry": "site.yml"])
        #expect(playbook.status == 201, "\(playbook.text)")
        let ids: [String: Any] = [
            "env": "test", "playbook_id": playbook.object["id"]!, "inventory_id": inventory.object["id"]!,
            "credential_id": credential.object["id"]!,
        ]

        // The defaults (Mitogen), then Ansible's own SSH connection with pipelining.
        for (options, strategy) in [([String: Any](), "mitogen_linear"), (["mitogen": false], "linear")] {
            let launch = try await stack.api("POST", "/api/v1/job", body: ids.merging(options) { $1 })
            #expect(launch.status == 201, "\(launch.text)")
            let uuid = try #require(launch.object["uuid"] as? String)
            let job = try await stack.waitForJob(uuid)
            #expect(job["status"] as? String == "successful", "\(job)")
            let shards = job["shards"] as? [[String: Any]] ?? []
            #expect(shards.allSatisfy { $0["strategy"] as? String == strategy }, "\(shards)")
            let result = try await stack.api("GET", "/api/v1/job/result/\(uuid)").object
            #expect(result.count == fleet.hosts)
            for (host, entry) in result {
                let stats = (entry as? [String: Any])?["stats"] as? [String: Any]
                #expect(stats?["ok"] as? Int == 3 && stats?["unreachable"] as? Bool == false, "\(host): \(entry)")
            }
        }

        // No run left its key (or anything else) behind on the workers.
        let leftovers =
            FileManager.default.enumerator(at: stack.directory, includingPropertiesForKeys: nil)?
            .compactMap { ($0 as? URL)?.path }.filter { $0.contains("/runs/") && $0.hasSuffix("ssh_key") } ?? []
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}

/// `scripts/ssh-fleet.sh` on a port and state directory of the test's own.
struct SSHFleet {
    let directory: URL
    let hosts: Int
    let port: Int

    var clientKey: URL { directory.appendingPathComponent("ssh-fleet/id_ed25519") }

    func up() async throws {
        let output = try await script("up")
        guard output.status == .exited(0) else { throw SSHFleetError.failed("up", output.text) }
    }

    func inventory() async throws -> String {
        let output = try await script("inventory")
        guard output.status == .exited(0) else { throw SSHFleetError.failed("inventory", output.text) }
        return output.text
    }

    func down() async {
        _ = try? await script("down")
    }

    private func script(_ command: String) async throws -> CommandRunner.Output {
        var environment = ProcessInfo.processInfo.environment
        environment["PANSIBLE_STATE_DIR"] = directory.path
        environment["HOSTS"] = String(hosts)
        environment["SSH_PORT"] = String(port)
        return try await CommandRunner.run(
            TestServices.repositoryRoot.appendingPathComponent("scripts/ssh-fleet.sh").path, [command], environment: environment,
            directory: TestServices.repositoryRoot.path
        )
    }
}

enum SSHFleetError: Error, CustomStringConvertible {
    case failed(String, String)

    var description: String {
        switch self {
        case .failed(let command, let output): return "ssh-fleet.sh \(command) failed:\n\(output)"
        }
    }
}
