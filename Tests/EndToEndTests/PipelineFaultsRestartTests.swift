import Foundation
import TestSupport
import Testing

/// The four faults an operator meets, one after another during two 120-host jobs: the collector killed, the
/// broker restarted, the database restarted and a worker killed. Both jobs still end `successful`, with every
/// host counted once.
///
/// Stops and starts the shared RabbitMQ and PostgreSQL: runs in `make test`'s alone pass (`…RestartTests`).
@Suite(.enabled(if: TestServices.available), .serialized)
struct PipelineFaultsRestartTests {
    static let playbook = """
        - hosts: all
          gather_facts: false
          tasks:
            - name: Answer
              ansible.builtin.ping:
            - name: Work a little
              ansible.builtin.command: sleep 2
            - name: Work a little more
              ansible.builtin.command: sleep 2
        """

    static let inventory = """
        all:
          hosts:
            node[001:120]:
          vars:
            ansible_connection: local
            ansible_python_interpreter: "{{ ansible_playbook_python }}"
        """

    @Test func twoJobsSurviveEveryFaultInTurn() async throws {
        let stack = try await Stack.start(workers: 2, workerEnvironment: ["PANSIBLE_WORKER_CONCURRENCY": "2"])
        do {
            try await run(stack)
        } catch {
            Issue.record("\(error)\n\(stack.logs())")
        }
        // Whatever happened, the shared services are up again for the next suite.
        try? await TestServices.runServicesScript(["start-rabbitmq"])
        try? await TestServices.runServicesScript(["start-postgres"])
        await stack.stop()
    }

    private func run(_ stack: Stack) async throws {
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": Self.playbook], in: stack.directory.path)
        let inventory = try await stack.api(
            "POST", "/api/v1/inventory", body: ["name": "faults", "env": "test", "version": "1", "hosts": Self.inventory])
        #expect(inventory.status == 201, "\(inventory.text)")
        let playbook = try await stack.api(
            "POST", "/api/v1/playbook", body: ["name": "faults", "git_repo": repository.url.path, "entry": "site.yml"])
        #expect(playbook.status == 201, "\(playbook.text)")
        var uuids: [String] = []
        for _ in 0..<2 {
            let job = try await stack.api(
                "POST", "/api/v1/job",
                body: ["env": "test", "playbook_id": playbook.object["id"]!, "inventory_id": inventory.object["id"]!, "shard_size": 10])
            #expect(job.status == 201, "\(job.text)")
            uuids.append(try #require(job.object["uuid"] as? String))
        }
        func unfinished() async throws -> Int {
            var count = 0
            for uuid in uuids {
                let status = try await stack.api("GET", "/api/v1/job/\(uuid)").object["status"] as? String ?? ""
                if !["successful", "failed", "error", "canceled"].contains(status) { count += 1 }
            }
            return count
        }
        // Both jobs under way.
        let started = try await TestServices.eventually(timeout: .seconds(120)) {
            try await stack.api("GET", "/api/v1/job/\(uuids[1])").object["status"] as? String == "running"
        }
        #expect(started)

        // 1. The collector is killed and another one takes over.
        try await stack.replace("pansible-collector", signal: SIGKILL)
        try await Task.sleep(for: .seconds(3))
        #expect(try await unfinished() > 0, "the jobs ended before the broker restart: the faults came too late")

        // 2. The broker goes away for 3 s.
        try await TestServices.runServicesScript(["stop-rabbitmq"])
        try await Task.sleep(for: .seconds(3))
        try await TestServices.runServicesScript(["start-rabbitmq"])
        try await Task.sleep(for: .seconds(3))

        // 3. The database goes away for 3 s.
        try await TestServices.runServicesScript(["stop-postgres"])
        try await Task.sleep(for: .seconds(3))
        try await TestServices.runServicesScript(["start-postgres"])
        try await Task.sleep(for: .seconds(3))

        // 4. A worker dies with its shards; a new one joins.
        let victim = try #require(stack.processes.first { $0.name == "pansible-worker-1" })
        await victim.stop(signal: SIGKILL)
        try await stack.addWorker(name: "pansible-worker-3", extraEnvironment: ["PANSIBLE_WORKER_CONCURRENCY": "2"])

        for uuid in uuids {
            let job = try await stack.waitForJob(uuid, timeout: .seconds(600))
            #expect(job["status"] as? String == "successful", "\(job["status_reason"] ?? "")")
            #expect(job["host_count"] as? Int == 120)
            // Every host once, with its three tasks counted once.
            let result = try await stack.api("GET", "/api/v1/job/result/\(uuid)").object
            #expect(result.count == 120)
            for (host, entry) in result {
                let stats = (entry as? [String: Any])?["stats"] as? [String: Any]
                #expect(stats?["ok"] as? Int == 3, "\(host): \(stats ?? [:])")
                #expect(stats?["changed"] as? Int == 2, "\(host): \(stats ?? [:])")
                #expect(stats?["failed"] as? Int == 0, "\(host): \(stats ?? [:])")
            }
        }
    }
}
