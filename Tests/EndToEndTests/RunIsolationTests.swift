import Foundation
import TestSupport
import Testing

/// Two jobs whose runs are on one worker at the same time, each with a credential of its own (an SSH key and
/// a vault password), with a playbook that looks for what it should not see: the other run's directory and
/// key, every process's environment under `/proc`, its own environment. The worker's environment holds the
/// stack's admin token, secret key and database URL. Nothing of the other run, and no worker secret, may show
/// in the stored events or log; the run's own key and vault password, which it prints on purpose, show masked.
@Suite(.enabled(if: TestServices.available))
struct RunIsolationTests {
    static let playbook = #"""
        - name: isolation probe
          hosts: all
          gather_facts: false
          vars:
            secrets_dir: "{{ lookup('env', 'PANSIBLE_SECRETS_DIR') }}"
            runs_dir: "{{ lookup('env', 'PANSIBLE_EVENTS_FILE') | dirname | dirname }}"
          tasks:
            - name: gate one
              ansible.builtin.wait_for: {host: 127.0.0.1, port: "{{ gate_one }}", timeout: 600}
            - name: list the run directories
              ansible.builtin.command: "ls -a {{ runs_dir }}"
            - name: read every key
              ansible.builtin.shell: "cat {{ runs_dir }}/*/private/ssh_key 2>&1; true"
            - name: read every process environment
              ansible.builtin.shell: "ls -d /proc/[0-9]*; cat /proc/[0-9]*/environ | tr '\\0' '\\n'; true"
            - name: print the environment
              ansible.builtin.command: env
            - name: print the key
              ansible.builtin.debug: {msg: "{{ lookup('file', secrets_dir + '/ssh_key') }}"}
            - name: print the key line by line
              ansible.builtin.debug: {msg: "{{ item }}"}
              loop: "{{ lookup('file', secrets_dir + '/ssh_key').splitlines() }}"
            - name: cat the key
              ansible.builtin.command: "cat {{ secrets_dir }}/ssh_key"
            - name: print the vault password
              ansible.builtin.debug: {msg: "vault password {{ lookup('file', secrets_dir + '/vault_password') }}"}
            - name: hidden
              ansible.builtin.debug: {msg: "{{ lookup('file', secrets_dir + '/vault_password') }}"}
              no_log: true
            - name: gate two
              ansible.builtin.wait_for: {host: 127.0.0.1, port: "{{ gate_two }}", timeout: 600}
        """#

    /// The callback plugin's variables, which carry paths and a number, no secret (docs/worker.md).
    static let harmlessVariables: Set<String> = ["PANSIBLE_EVENTS_FILE", "PANSIBLE_RESULT_MAX_BYTES", "PANSIBLE_RUN_LOCK", "PANSIBLE_SECRETS_DIR"]

    struct Credential {
        let key: String
        let vaultPassword = "vault-\(UUID().uuidString)"

        init() {
            let body = (0..<5).map { _ in Data((0..<48).map { _ in UInt8.random(in: 0...255) }).base64EncodedString() }
            key = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body.joined(separator: "\n") + "\n-----END OPENSSH PRIVATE KEY-----\n"
        }

        /// What must never be shown: the password and every line of the key's body.
        var secrets: [String] { [vaultPassword] + key.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init) }
    }

    @Test func concurrentRunsSeeNeitherEachOtherNorTheWorker() async throws {
        let stack = try await Stack.start(workers: 1, workerEnvironment: ["PANSIBLE_WORKER_CONCURRENCY": "2"])
        let gates = (TCPGate(), TCPGate())
        do {
            try await run(stack, gates: gates)
        } catch {
            Issue.record("\(error)\n\(stack.logs())")
        }
        gates.0.close()
        gates.1.close()
        await stack.stop()
    }

    private func run(_ stack: Stack, gates: (TCPGate, TCPGate)) async throws {
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": Self.playbook], in: stack.directory.path)
        let hosts = "all:\n  hosts:\n    probe:\n      ansible_connection: local\n      ansible_python_interpreter: '{{ ansible_playbook_python }}'\n"
        let inventory = try await stack.api("POST", "/api/v1/inventory", body: ["name": "probe", "env": "test", "version": "1", "hosts": hosts])
        #expect(inventory.status == 201, "\(inventory.text)")
        let playbook = try await stack.api("POST", "/api/v1/playbook", body: ["name": "probe", "git_repo": repository.url.path, "entry": "site.yml"])
        #expect(playbook.status == 201, "\(playbook.text)")

        let credentials = [Credential(), Credential()]
        var jobs: [String] = []
        for (index, credential) in credentials.enumerated() {
            let created = try await stack.api(
                "POST", "/api/v1/credential",
                body: ["name": "probe-\(index)", "ssh_private_key": credential.key, "vault_password": credential.vaultPassword])
            #expect(created.status == 201, "\(created.text)")
            let launch = try await stack.api(
                "POST", "/api/v1/job",
                body: [
                    "env": "test", "playbook_id": playbook.object["id"]!, "inventory_id": inventory.object["id"]!,
                    "credential_id": created.object["id"]!, "shards": 1,
                    "extra_vars": ["gate_one": gates.0.port, "gate_two": gates.1.port],
                ])
            #expect(launch.status == 201, "\(launch.text)")
            jobs.append(try #require(launch.object["uuid"] as? String))
        }

        // Both runs exist (their directories made, their keys written) before either looks around, and until
        // both have looked.
        try await waitUntilBothStart("gate one", jobs: jobs, stack: stack)
        try gates.0.open()
        try await waitUntilBothStart("gate two", jobs: jobs, stack: stack)
        try gates.1.open()

        for (index, uuid) in jobs.enumerated() {
            let job = try await stack.waitForJob(uuid)
            #expect(job["status"] as? String == "successful", "\(job)")
            let events = try await self.events(uuid, stack: stack)
            let stdout = try await stack.api("GET", "/api/v1/job/\(uuid)/stdout").text
            let shown = events.map { Self.strings(in: $0).joined(separator: "\n") }.joined(separator: "\n") + "\n" + stdout

            // No worker secret, nothing of the other run, and the run's own secrets masked.
            let other = credentials[1 - index]
            let forbidden = [stack.adminToken, stack.secretKey, stack.database.name] + other.secrets + credentials[index].secrets
            for secret in forbidden {
                #expect(!shown.contains(secret), "job \(index) shows \(secret)")
            }
            #expect(stdout.contains("********") && stdout.contains("vault password ********"), "\(stdout.suffix(3000))")
            let hidden = try #require(events.first { $0["type"] as? String == "runner_on_ok" && $0["task"] as? String == "hidden" })
            #expect((hidden["result"] as? [String: Any])?["censored"] != nil && (hidden["result"] as? [String: Any])?["msg"] == nil)

            // Its own run directory (and lock) is all it sees of the worker's runs.
            let listing = try #require(Self.resultStdout(events, task: "list the run directories"))
            let runs = Set(listing.split(separator: "\n").map(String.init)).subtracting([".", ".."])
            #expect(Set(runs.map { $0.replacingOccurrences(of: ".lock", with: "") }).count == 1, "\(listing)")

            // Of the worker's PANSIBLE_* variables, only the callback plugin's harmless ones.
            let environment = try #require(Self.resultStdout(events, task: "print the environment"))
            let names = Set(
                environment.split(separator: "\n").compactMap { $0.split(separator: "=").first.map(String.init) }.filter { $0.hasPrefix("PANSIBLE_") }
            )
            #expect(names.isSubset(of: Self.harmlessVariables) && names.contains("PANSIBLE_EVENTS_FILE"), "\(names)")
            #expect(!environment.contains("PANSIBLE_WORKER_PID"))
        }
    }

    private func waitUntilBothStart(_ task: String, jobs: [String], stack: Stack) async throws {
        var ended = false
        let started = try await TestServices.eventually(timeout: .seconds(300)) {
            for uuid in jobs {
                let status = try await stack.api("GET", "/api/v1/job/\(uuid)").object["status"] as? String ?? ""
                ended = ended || ["successful", "failed", "error", "canceled"].contains(status)
                let events = try await self.events(uuid, type: "playbook_on_task_start", stack: stack)
                guard events.contains(where: { $0["task"] as? String == task }) else { return ended }
            }
            return true
        }
        guard started, !ended else {
            var failures = ""
            for uuid in jobs { failures += try await stack.api("GET", "/api/v1/job/\(uuid)/events?failed=true").text + "\n" }
            throw TestFailure("the two runs did not both reach '\(task)'\n\(failures)")
        }
    }

    private func events(_ uuid: String, type: String? = nil, stack: Stack) async throws -> [[String: Any]] {
        let query = "limit=1000" + (type.map { "&type=\($0)" } ?? "")
        return try await stack.api("GET", "/api/v1/job/\(uuid)/events?\(query)").object["events"] as? [[String: Any]] ?? []
    }

    private static func resultStdout(_ events: [[String: Any]], task: String) -> String? {
        let event = events.first { $0["type"] as? String == "runner_on_ok" && $0["task"] as? String == task }
        return (event?["result"] as? [String: Any])?["stdout"] as? String
    }

    /// Every string in a decoded JSON value, keys included.
    private static func strings(in value: Any) -> [String] {
        switch value {
        case let text as String: return [text]
        case let array as [Any]: return array.flatMap { strings(in: $0) }
        case let object as [String: Any]: return object.flatMap { [$0.key] + strings(in: $0.value) }
        default: return []
        }
    }
}
