import Foundation
import TestSupport
import Testing

/// What a job gets without asking: shards cut for the pool's live workers (one per slot), Mitogen whenever
/// it is installed, with the same results as Ansible's own strategy, and a clear word when no worker serves
/// the job's pool.
@Suite(.enabled(if: TestServices.available))
struct SpeedDefaultsTests {
    /// h07 fails, h13 is unreachable (SSH to a closed port); odd racks skip a task.
    static let inventory = """
        all:
          hosts:
            h[01:30]:
            h07:
              fail_me: true
            h13:
              ansible_connection: ssh
              ansible_host: 127.0.0.1
              ansible_port: 1
          vars:
            ansible_connection: local
            ansible_python_interpreter: "{{ ansible_playbook_python }}"
            rack: 2
          children:
            odd:
              hosts:
                h[01:29:2]:
              vars:
                rack: 1
        """

    @Test func defaultsUseEveryWorkerAndMitogenWithAnsiblesResults() async throws {
        try await Stack.with(workers: 3, workerEnvironment: ["PANSIBLE_WORKER_CONCURRENCY": "1"]) { try await run($0) }
    }

    private func run(_ stack: Stack) async throws {
        // Each worker announces its slot once its consumer is in place.
        let consuming = await TestServices.eventually(timeout: .seconds(60)) {
            stack.processes.filter { $0.name.hasPrefix("pansible-worker") }.allSatisfy { $0.log().contains("consuming shards") }
        }
        #expect(consuming)
        try await Task.sleep(for: .seconds(1))

        let repository = try await GitRepositoryFixture.create(files: ["site.yml": FleetJobTests.playbook], in: stack.directory.path)
        let inventory = try await stack.api(
            "POST", "/api/v1/inventory", body: ["name": "speed", "env": "test", "version": "1", "hosts": Self.inventory])
        #expect(inventory.status == 201, "\(inventory.text)")
        let playbook = try await stack.api("POST", "/api/v1/playbook", body: ["name": "speed", "git_repo": repository.url.path, "entry": "site.yml"])
        #expect(playbook.status == 201, "\(playbook.text)")
        let ids: [String: Any] = ["env": "test", "playbook_id": playbook.object["id"]!, "inventory_id": inventory.object["id"]!]

        // A pool no worker serves: the job says so instead of waiting silently.
        let stranded = try await stack.api("POST", "/api/v1/job", body: ids.merging(["pool": "nowhere"]) { $1 })
        #expect(stranded.status == 201, "\(stranded.text)")
        let strandedUUID = try #require(stranded.object["uuid"] as? String)
        var strandedJob: [String: Any] = [:]
        let told = try await TestServices.eventually(timeout: .seconds(60)) {
            strandedJob = try await stack.api("GET", "/api/v1/job/\(strandedUUID)").object
            return (strandedJob["status_reason"] as? String)?.contains("no live worker serves pool 'nowhere'") == true
        }
        let strandedEvents = try await stack.api("GET", "/api/v1/job/\(strandedUUID)/events").text
        #expect(told, "\(strandedJob) \(strandedEvents)")
        #expect(strandedJob["status"] as? String != "successful")

        // No shard option: one shard per live slot, and every worker runs one.
        let fast = try await stack.api("POST", "/api/v1/job", body: ids)
        #expect(fast.status == 201, "\(fast.text)")
        let fastJob = try await stack.waitForJob(try #require(fast.object["uuid"] as? String))
        #expect(fastJob["status"] as? String == "failed")
        let shards = fastJob["shards"] as? [[String: Any]] ?? []
        #expect(fastJob["shard_count"] as? Int == 3)
        #expect(shards.map { $0["host_count"] as? Int } == [10, 10, 10])
        #expect(Set(shards.compactMap { $0["worker_id"] as? String }).count == 3, "\(shards)")
        #expect(shards.allSatisfy { $0["strategy"] as? String == "mitogen_linear" }, "\(shards)")
        // Each shard reports where its time went.
        #expect(shards.allSatisfy { ($0["timings"] as? [String: Any])?["ansible_start"] != nil }, "\(shards)")

        // The same job with Ansible's own strategy: the same result for every host.
        let plain = try await stack.api("POST", "/api/v1/job", body: ids.merging(["mitogen": false]) { $1 })
        #expect(plain.status == 201, "\(plain.text)")
        let plainJob = try await stack.waitForJob(try #require(plain.object["uuid"] as? String))
        #expect(plainJob["status"] as? String == "failed")
        #expect((plainJob["shards"] as? [[String: Any]] ?? []).allSatisfy { $0["strategy"] as? String == "linear" })

        let fastResult = try await stack.api("GET", "/api/v1/job/result/\(fast.object["uuid"]!)").object
        let plainResult = try await stack.api("GET", "/api/v1/job/result/\(plain.object["uuid"]!)").object
        #expect(fastResult.count == 30 && plainResult.count == 30)
        func counters(_ entry: Any?) -> [String: String] {
            let stats = (entry as? [String: Any])?["stats"] as? [String: Any] ?? [:]
            let keys = ["ok", "changed", "failed", "skipped", "rescued", "ignored", "unreachable"]
            return Dictionary(uniqueKeysWithValues: keys.map { ($0, stats[$0].map { "\($0)" } ?? "missing") })
        }
        for (host, entry) in plainResult {
            #expect(counters(fastResult[host]) == counters(entry), "\(host)")
        }
        let failed = (fastResult["h07"] as? [String: Any])?["stats"] as? [String: Any]
        #expect(failed?["failed"] as? Int == 1)
        let unreachable = (fastResult["h13"] as? [String: Any])?["stats"] as? [String: Any]
        #expect(unreachable?["unreachable"] as? Bool == true)
    }
}
