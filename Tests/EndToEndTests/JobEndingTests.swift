import Foundation
import TestSupport
import Testing

/// Every job ends, whatever fails around it: a job past its deadline, a job whose pool no worker serves, a
/// cancelled job whose shards only wait, and a cancelled job whose worker never answers each reach a final
/// status with a reason, on the real pipeline.
@Suite(.enabled(if: TestServices.available))
struct JobEndingTests {
    static let inventory = """
        all:
          hosts:
            h[01:04]:
          vars:
            ansible_connection: local
            ansible_python_interpreter: "{{ ansible_playbook_python }}"
        """

    static let slowPlaybook = """
        - hosts: all
          gather_facts: false
          tasks:
            - name: Take a while
              ansible.builtin.command: sleep 120
        """

    @Test func jobsThatNothingElseWouldEndAreEnded() async throws {
        try await Stack.with(
            workers: 1,
            environment: [
                "PANSIBLE_COLLECTOR_SWEEP_INTERVAL": "1", "PANSIBLE_COLLECTOR_CANCEL_GRACE": "3",
                "PANSIBLE_COLLECTOR_NO_WORKER_GRACE": "60",
            ]
        ) { try await run($0) }
    }

    private func run(_ stack: Stack) async throws {
        let repository = try await GitRepositoryFixture.create(files: ["slow.yml": Self.slowPlaybook], in: stack.directory.path)
        let inventory = try await stack.api(
            "POST", "/api/v1/inventory", body: ["name": "ending", "env": "test", "version": "1", "hosts": Self.inventory])
        #expect(inventory.status == 201, "\(inventory.text)")
        let playbook = try await stack.api("POST", "/api/v1/playbook", body: ["name": "slow", "git_repo": repository.url.path, "entry": "slow.yml"])
        #expect(playbook.status == 201, "\(playbook.text)")
        let ids: [String: Any] = ["env": "test", "playbook_id": playbook.object["id"]!, "inventory_id": inventory.object["id"]!]
        func launch(_ options: [String: Any]) async throws -> String {
            let job = try await stack.api("POST", "/api/v1/job", body: ids.merging(options) { $1 })
            #expect(job.status == 201, "\(job.text)")
            return try #require(job.object["uuid"] as? String)
        }

        // A pool no worker serves, with a deadline of 1 s: ended by its deadline (the splitter alone waits longer).
        let overdue = try await launch(["pool": "nowhere", "deadline": 1])
        // A pool no worker serves: ended once the pool has been silent for the grace.
        let stranded = try await launch(["pool": "nobody"])
        // Split for a pool no worker serves, then cancelled: no shard runs, so it is canceled at once.
        let waiting = try await launch(["pool": "empty"])
        // Running on the one worker, which is then frozen: the cancel gets no answer, the grace ends the job.
        let frozen = try await launch([:])

        var waitingJob: [String: Any] = [:]
        let split = try await TestServices.eventually(timeout: .seconds(60)) {
            waitingJob = try await stack.api("GET", "/api/v1/job/\(waiting)").object
            return waitingJob["shard_count"] as? Int != nil
        }
        #expect(split, "\(waitingJob)")
        let canceled = try await stack.api("POST", "/api/v1/job/\(waiting)/cancel")
        #expect(canceled.status == 202, "\(canceled.text)")
        #expect(canceled.object["status"] as? String == "canceled", "\(canceled.text)")
        #expect(canceled.object["status_reason"] as? String == "canceled before any of its shards ran")

        var frozenJob: [String: Any] = [:]
        let running = try await TestServices.eventually(timeout: .seconds(90)) {
            frozenJob = try await stack.api("GET", "/api/v1/job/\(frozen)").object
            return (frozenJob["shards"] as? [[String: Any]])?.contains { $0["status"] as? String == "running" } == true
        }
        #expect(running, "\(frozenJob)")
        let worker = try #require(stack.processes.first { $0.name.hasPrefix("pansible-worker") })
        kill(worker.pid, SIGSTOP)
        defer { kill(worker.pid, SIGCONT) }
        let cancelRequested = try await stack.api("POST", "/api/v1/job/\(frozen)/cancel")
        #expect(cancelRequested.object["status"] as? String == "running", "\(cancelRequested.text)")

        let frozenEnd = try await stack.waitForJob(frozen, timeout: .seconds(60))
        #expect(frozenEnd["status"] as? String == "canceled")
        #expect((frozenEnd["status_reason"] as? String)?.contains("did not report within 3 s of the cancel") == true, "\(frozenEnd)")

        let overdueEnd = try await stack.waitForJob(overdue, timeout: .seconds(60))
        #expect(overdueEnd["status"] as? String == "error")
        #expect(overdueEnd["status_reason"] as? String == "deadline passed: the job did not end within 1 s of its launch", "\(overdueEnd)")
        #expect(overdueEnd["deadline"] as? String != nil)

        let strandedEnd = try await stack.waitForJob(stranded, timeout: .seconds(240))
        #expect(strandedEnd["status"] as? String == "error")
        #expect((strandedEnd["status_reason"] as? String)?.hasPrefix("no worker serves pool 'nobody'") == true, "\(strandedEnd)")

        // Final statuses stay, and nothing holds the inventory any more.
        try await Task.sleep(for: .seconds(3))
        for (uuid, status) in [(overdue, "error"), (stranded, "error"), (waiting, "canceled"), (frozen, "canceled")] {
            #expect(try await stack.api("GET", "/api/v1/job/\(uuid)").object["status"] as? String == status, "\(uuid)")
        }
        let deleted = try await stack.api("DELETE", "/api/v1/inventory/\(inventory.object["id"]!)")
        #expect((200..<300).contains(deleted.status), "\(deleted.text)")
    }
}
