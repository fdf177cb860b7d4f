import Foundation
import HummingbirdWSClient
import Logging
import TestSupport
import Testing

/// The original README's whole flow with its own request bodies: inventory, playbook, app and its links,
/// job, then the job's result and its live progress over WebSocket.
@Suite(.enabled(if: TestServices.available))
struct SeedFlowTests {
    static let playbook = """
        - hosts: all
          gather_facts: false
          tasks:
            - name: Reach the host
              ansible.builtin.ping:
        """

    @Test func seedRequestsRunAJobWithResultsAndProgress() async throws {
        try await Stack.with(workers: 1) { try await run($0) }
    }

    private func run(_ stack: Stack) async throws {
        // The playbook repository is real (the README's `git@some_repo.git` is a placeholder); the entry is its.
        let repository = try await GitRepositoryFixture.create(files: ["some_playbook.yml": Self.playbook], in: stack.directory.path)

        let inventory = try await stack.api(
            "POST", "/api/v1/inventory",
            body: ["name": "example_inventory", "env": "alpha", "version": "0.0.1", "hosts": SeedExample.hosts, "vars": SeedExample.vars])
        #expect(inventory.status == 201, "\(inventory.text)")
        #expect(inventory.object["name"] as? String == "example_inventory")
        #expect(inventory.object["hosts"] as? String == SeedExample.hosts)
        #expect(inventory.object["vars"] as? String == SeedExample.vars)
        let inventoryID = try #require(inventory.object["id"] as? Int)

        let playbook = try await stack.api(
            "POST", "/api/v1/playbook", body: ["name": "example_playbook", "git_repo": repository.url.path, "entry": "some_playbook.yml"])
        #expect(playbook.status == 201, "\(playbook.text)")
        #expect(playbook.object["entry"] as? String == "some_playbook.yml")
        let playbookID = try #require(playbook.object["id"] as? Int)

        let app = try await stack.api("POST", "/api/v1/app", body: ["appid": "example_app"])
        #expect(app.status == 201, "\(app.text)")
        #expect(app.object["appid"] as? String == "example_app")
        let appID = try #require(app.object["id"] as? Int)
        let linkPlaybook = try await stack.api("POST", "/api/v1/app/playbook", body: ["app_id": appID, "playbook_id": playbookID])
        #expect((200..<300).contains(linkPlaybook.status), "\(linkPlaybook.text)")
        let linkInventory = try await stack.api("POST", "/api/v1/app/inventory", body: ["app_id": appID, "inventory_id": inventoryID])
        #expect((200..<300).contains(linkInventory.status), "\(linkInventory.text)")

        let launch = try await stack.api("POST", "/api/v1/job", body: ["env": "alpha", "playbook_id": playbookID, "inventory_id": inventoryID])
        #expect(launch.status == 201, "\(launch.text)")
        let uuid = try #require(launch.object["uuid"] as? String)
        #expect(launch.object["id"] is Int)
        #expect(launch.object["env"] as? String == "alpha")
        #expect(launch.object["playbook_id"] as? Int == playbookID)
        #expect(launch.object["inventory_id"] as? Int == inventoryID)

        // Live progress from the start, next to the job running.
        async let progress = Self.progressMessages(stack: stack, uuid: uuid)
        _ = try await stack.waitForJob(uuid)

        // Plain ansible-playbook on the same inventory and vars gives the expected recap.
        let plain = stack.directory.appendingPathComponent("plain")
        try FileManager.default.createDirectory(at: plain.appendingPathComponent("group_vars"), withIntermediateDirectories: true)
        try SeedExample.hosts.write(to: plain.appendingPathComponent("hosts.yml"), atomically: true, encoding: .utf8)
        try "allkey1: allval1\nallkey2: allval2\n".write(to: plain.appendingPathComponent("group_vars/all.yml"), atomically: true, encoding: .utf8)
        try "wskey1: wsval1\nwskey2: wsval2\n".write(to: plain.appendingPathComponent("group_vars/webservers.yml"), atomically: true, encoding: .utf8)
        let output = try await LocalCommand.run(
            "ansible-playbook", ["-i", "hosts.yml", repository.url.appendingPathComponent("some_playbook.yml").path], in: plain,
            environment: ["ANSIBLE_STDOUT_CALLBACK": "default", "ANSIBLE_NOCOLOR": "1", "ANSIBLE_HOST_KEY_CHECKING": "false"])
        let expected = RecapStats.parse(recapOf: output)
        #expect(
            Set(expected.keys) == ["localhost", "foo.example3.com", "foo.example4.com", "foo.example5.com", "one.example.com", "two.example.com"])

        // The job shows the commit its split pinned, and that nothing was dead-lettered.
        let job = try await stack.api("GET", "/api/v1/job/\(uuid)")
        #expect((job.object["playbook_commit"] as? String)?.count == 40, "\(job.text)")
        #expect(job.object["dead_letters"] as? Int == 0, "\(job.text)")

        // The seed's result shape, every host once.
        let result = try await stack.api("GET", "/api/v1/job/result/\(uuid)")
        #expect(result.status == 200)
        let hosts = result.object
        #expect(Set(hosts.keys) == Set(expected.keys))
        for (host, recap) in expected {
            let entry = try #require(hosts[host] as? [String: Any], "\(host)")
            #expect(entry.keys.contains("failures"))
            let stats = try #require(entry["stats"] as? [String: Any], "\(host)")
            #expect(stats["target"] as? String == host)
            #expect(stats["failed"] as? Int == recap.failed)
            #expect(stats["unreachable"] as? Bool == (recap.unreachable > 0))
            #expect(stats["ok"] as? Int == recap.ok)
            #expect(stats["id"] is Int)
            #expect(stats["run_id"] is String)
            #expect(stats["job_start_time"] is String)
        }

        // Progress: the seed's message shape, every host's outcome, then the final status and recap.
        let messages = try await progress
        let outcomes = messages.filter { ["ok", "failed", "unreachable", "skipped"].contains($0["type"] as? String ?? "") }
        #expect(Set(outcomes.compactMap { $0["target"] as? String }) == Set(expected.keys))
        for message in outcomes {
            #expect(message["_pansible_job"] as? String == uuid)
            #expect(message["_pansible_task"] is String)
            #expect(message["result"] is [String: Any])
        }
        let final = try #require(messages.last)
        #expect(final["type"] as? String == "job_finished")
        #expect(final["_pansible_job"] as? String == uuid && final["_pansible_task"] is NSNull)
        #expect(Set((final["recap"] as? [String: Any])?.keys ?? [:].keys) == Set(expected.keys))
    }

    /// Every message of the job's progress stream until the server closes it.
    static func progressMessages(stack: Stack, uuid: String) async throws -> [[String: Any]] {
        let url = "ws://127.0.0.1:\(stack.collectorURL.port!)/api/v1/job/progress/\(uuid)?token=\(stack.adminToken)"
        let collected = MessageBox()
        try await WebSocketClient.connect(url: url, logger: Logger(label: "test.progress")) { inbound, _, _ in
            for try await message in inbound.messages(maxSize: 16 << 20) {
                if case .text(let text) = message, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
                    collected.append(object)
                }
            }
        }
        return collected.messages
    }
}

/// Collects messages from the WebSocket handler.
final class MessageBox: @unchecked Sendable {
    // Safe: every access holds `lock`.
    private let lock = NSLock()
    private var storage: [[String: Any]] = []

    func append(_ message: [String: Any]) { lock.withLock { storage.append(message) } }
    var messages: [[String: Any]] { lock.withLock { storage } }
}
