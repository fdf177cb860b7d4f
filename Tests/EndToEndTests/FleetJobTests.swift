import Foundation
import TestSupport
import Testing

/// A job over 100 local hosts in 4 shards, one host failing and one unreachable, through the whole stack,
/// compared with plain `ansible-playbook` on the same inventory and playbook; then its failed hosts relaunched.
@Suite(.enabled(if: TestServices.available))
struct FleetJobTests {
    static let playbook = """
        - name: Fleet
          hosts: all
          gather_facts: false
          tasks:
            - name: Answer
              ansible.builtin.ping:
            - name: Fail where asked
              ansible.builtin.fail:
                msg: "{{ inventory_hostname }} was asked to fail"
              when: fail_me | default(false)
            - name: Skip on odd racks
              ansible.builtin.debug:
                msg: "rack {{ rack }}"
              when: rack is even
            - name: Change something
              ansible.builtin.set_fact:
                marker: "{{ inventory_hostname }}"
              changed_when: true
        """

    /// node050 fails, node077 is unreachable (SSH to a closed port).
    static let inventory = """
        all:
          hosts:
            node050:
              fail_me: true
            node077:
              ansible_connection: ssh
              ansible_host: 127.0.0.1
              ansible_port: 1
          vars:
            ansible_connection: local
            ansible_python_interpreter: "{{ ansible_playbook_python }}"
          children:
            even:
              hosts:
                node[002:100:2]:
              vars:
                rack: 2
            odd:
              hosts:
                node[001:099:2]:
              vars:
                rack: 1
        """

    static let vars = """
        odd:
          rack: 3
        """

    @Test func hundredHostsInFourShardsMatchPlainAnsible() async throws {
        try await Stack.with(workers: 2) { try await run($0) }
    }

    private func run(_ stack: Stack) async throws {
        let hosts = Self.inventory
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": Self.playbook], in: stack.directory.path)

        // Plain ansible-playbook on the same inventory (vars applied as group_vars) and playbook.
        let plainDirectory = stack.directory.appendingPathComponent("plain")
        try FileManager.default.createDirectory(at: plainDirectory.appendingPathComponent("group_vars"), withIntermediateDirectories: true)
        try hosts.write(to: plainDirectory.appendingPathComponent("hosts.yml"), atomically: true, encoding: .utf8)
        try "rack: 3\n".write(to: plainDirectory.appendingPathComponent("group_vars/odd.yml"), atomically: true, encoding: .utf8)
        let plainOutput = try await LocalCommand.run(
            "ansible-playbook",
            ["-i", plainDirectory.appendingPathComponent("hosts.yml").path, repository.url.appendingPathComponent("site.yml").path, "-f", "20"],
            in: plainDirectory, environment: ["ANSIBLE_STDOUT_CALLBACK": "default", "ANSIBLE_NOCOLOR": "1", "ANSIBLE_HOST_KEY_CHECKING": "false"])
        let expected = RecapStats.parse(recapOf: plainOutput)
        #expect(expected.count == 100)
        #expect(expected["node050"]?.failed == 1)
        #expect(expected["node077"]?.unreachable == 1)

        let inventory = try await stack.api(
            "POST", "/api/v1/inventory", body: ["name": "fleet", "env": "test", "version": "1", "hosts": hosts, "vars": Self.vars])
        #expect(inventory.status == 201, "\(inventory.text)")
        let playbook = try await stack.api(
            "POST", "/api/v1/playbook", body: ["name": "fleet", "git_repo": repository.url.path, "entry": "site.yml"])
        #expect(playbook.status == 201, "\(playbook.text)")
        let launch = try await stack.api(
            "POST", "/api/v1/job",
            body: ["env": "test", "playbook_id": playbook.object["id"]!, "inventory_id": inventory.object["id"]!, "shards": 4, "forks": 20])
        #expect(launch.status == 201, "\(launch.text)")
        let uuid = try #require(launch.object["uuid"] as? String)

        let job = try await stack.waitForJob(uuid)
        #expect(job["status"] as? String == "failed")
        #expect(job["shard_count"] as? Int == 4)
        #expect(job["host_count"] as? Int == 100)

        // Results, merged across the shards, equal Ansible's recap host by host.
        let result = try await stack.api("GET", "/api/v1/job/result/\(uuid)").object
        #expect(result.count == 100)
        for (host, recap) in expected {
            let entry = result[host] as? [String: Any]
            let stats = entry?["stats"] as? [String: Any]
            let got = RecapStats(
                ok: stats?["ok"] as? Int ?? -1, changed: stats?["changed"] as? Int ?? -1,
                unreachable: (stats?["unreachable"] as? Bool ?? false) ? 1 : 0, failed: stats?["failed"] as? Int ?? -1,
                skipped: stats?["skipped"] as? Int ?? -1, rescued: stats?["rescued"] as? Int ?? -1, ignored: stats?["ignored"] as? Int ?? -1)
            #expect(got == recap, "\(host)")
            let failures = entry?["failures"] as? [[String: Any]]
            #expect((failures?.count ?? 0) == recap.failed, "\(host) failures")
        }

        // The merged log reads like plain Ansible's: its play and task headers once each and in the same order,
        // and one recap whose lines are Ansible's, byte for byte.
        let stdout = try await stack.api("GET", "/api/v1/job/\(uuid)/stdout").text
        #expect(RecapStats.parse(recapOf: stdout) == expected)
        func headers(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { $0.hasPrefix("PLAY [") || $0.hasPrefix("TASK [") || $0.hasPrefix("PLAY RECAP") }
        }
        func recapLines(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { $0.contains(" : ok=") }
        }
        #expect(headers(stdout) == headers(plainOutput), "\(stdout)")
        #expect(recapLines(stdout) == recapLines(plainOutput))
        // One shard's own log, as its ansible-playbook printed it.
        let first = try await stack.api("GET", "/api/v1/job/\(uuid)/stdout?shard=0").text
        #expect(RecapStats.parse(recapOf: first).count == 25)

        // One runner result event per host and task that Ansible counted.
        var runnerEvents = 0
        var cursor: String? = nil
        repeat {
            let page = try await stack.api("GET", "/api/v1/job/\(uuid)/events?limit=500" + (cursor.map { "&after=\($0)" } ?? "")).object
            let events = page["events"] as? [[String: Any]] ?? []
            runnerEvents +=
                events.filter {
                    ["runner_on_ok", "runner_on_failed", "runner_on_skipped", "runner_on_unreachable"].contains($0["type"] as? String ?? "")
                }.count
            cursor = page["next"] as? String
        } while cursor != nil
        let counted = expected.values.reduce(0) { $0 + $1.ok + $1.failed + $1.skipped + $1.unreachable + $1.ignored }
        #expect(runnerEvents == counted)

        try await relaunchFailedHosts(of: uuid, job: job, stack)
    }

    /// The failed and the unreachable host, from two of the four shards, run again at the job's commit, and
    /// nothing else.
    private func relaunchFailedHosts(of uuid: String, job: [String: Any], _ stack: Stack) async throws {
        let relaunch = try await stack.api("POST", "/api/v1/job/\(uuid)/relaunch", body: ["hosts": "failed"])
        #expect(relaunch.status == 201, "\(relaunch.text)")
        #expect(relaunch.object["relaunch_of"] as? String == uuid)
        let again = try #require(relaunch.object["uuid"] as? String)
        let rerun = try await stack.waitForJob(again)
        #expect(rerun["status"] as? String == "failed")
        #expect(rerun["host_count"] as? Int == 2)
        #expect(rerun["relaunch_of"] as? String == uuid)
        #expect(rerun["playbook_commit"] as? String == job["playbook_commit"] as? String)
        let result = try await stack.api("GET", "/api/v1/job/result/\(again)").object
        #expect(Set(result.keys) == ["node050", "node077"])
        let stats = (result["node077"] as? [String: Any])?["stats"] as? [String: Any]
        #expect(stats?["unreachable"] as? Bool == true)

        // The command line: following a clean job exits 0, a relaunch of the failed hosts exits 2; both end with
        // the merged recap.
        let playbookID = try #require(job["playbook_id"] as? Int)
        let inventoryID = try #require(job["inventory_id"] as? Int)
        let clean = try await LocalCommand.pansible(
            [
                "job", "run", "--playbook", "\(playbookID)", "--inventory", "\(inventoryID)", "--env", "test", "--limit", "node001,node002",
                "--follow",
            ],
            stack: stack)
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("PLAY RECAP"), "\(clean.output)")
        #expect(RecapStats.parse(recapOf: clean.output).keys.sorted() == ["node001", "node002"], "\(clean.output)")
        let failed = try await LocalCommand.pansible(["job", "relaunch", uuid, "--follow"], stack: stack)
        #expect(failed.status == 2, "\(failed.output)")
        #expect(RecapStats.parse(recapOf: failed.output).keys.sorted() == ["node050", "node077"], "\(failed.output)")
        #expect(failed.output.contains("FAILED node050"), "\(failed.output)")
        let missing = try await LocalCommand.pansible(["job", "show", UUID().uuidString], stack: stack)
        #expect(missing.status == 1)
        #expect(missing.output.contains("404 not_found"), "\(missing.output)")
    }
}
