import Foundation
import Logging
import Shared
import TestSupport

@testable import Worker

/// Playbooks, inventories and a runner wired like `buildWorker` wires it.
enum WorkerFixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Every outcome Ansible reports: ok, changed, failed, skipped, unreachable, ignored, rescued, a loop,
    /// a no_log result and a large result. Only the first task connects to hosts (raw), so it is cheap.
    static let outcomesPlaybook = """
        - name: outcomes
          hosts: all
          gather_facts: false
          tasks:
            - name: connect
              ansible.builtin.raw: "true"
              changed_when: false
            - name: changed on some
              ansible.builtin.debug:
                msg: "{{ outcome }}"
              changed_when: outcome == 'changed'
            - name: fail on some
              ansible.builtin.fail:
                msg: failing on purpose
              when: outcome == 'failed'
            - name: ignored failure
              ansible.builtin.fail:
                msg: ignored on purpose
              ignore_errors: true
              when: outcome == 'ignored'
            - name: rescue block
              when: outcome == 'rescued'
              block:
                - name: fails inside block
                  ansible.builtin.fail:
                    msg: to be rescued
              rescue:
                - name: rescuer
                  ansible.builtin.debug:
                    msg: rescued
            - name: a loop
              ansible.builtin.debug:
                msg: "item {{ item }}"
              loop: [1, 2, 3]
              when: outcome in ['ok', 'changed']
            - name: secret
              ansible.builtin.debug:
                msg: "the password is hunter2"
              no_log: true
            - name: big
              ansible.builtin.debug:
                msg: "{{ 'x' * 5000 }}"
              when: outcome == 'ok'
            - name: retried
              ansible.builtin.debug:
                msg: retry
              register: retried
              until: retried.attempts | default(1) >= 2
              retries: 3
              delay: 0
              when: inventory_hostname == 'host01'
            # Long enough that Ansible's first async_status check (itself slow on a loaded machine) finds
            # the job still running, so a poll event is emitted.
            - name: in the background
              ansible.builtin.command: sleep 10
              async: 30
              poll: 1
              when: inventory_hostname == 'host01'
            - name: included
              ansible.builtin.include_tasks: included.yml
              when: inventory_hostname == 'host01'
        """

    static let includedTasks = """
        - name: from the included file
          ansible.builtin.debug:
            msg: included
        """

    /// Twenty hosts: the outcome each should have, as a shard inventory (Ansible's YAML-inventory structure).
    static func outcomesInventory() -> (inventory: JSONValue, hosts: [String]) {
        let outcomes = [
            "ok", "ok", "ok", "changed", "changed", "changed", "failed", "failed", "skipped", "skipped",
            "ignored", "ignored", "rescued", "rescued", "unreachable", "unreachable", "ok", "changed", "ignored", "rescued",
        ]
        var first: [String: JSONValue] = [:]
        var second: [String: JSONValue] = [:]
        var hosts: [String] = []
        for (index, outcome) in outcomes.enumerated() {
            let name = String(format: "host%02d", index + 1)
            hosts.append(name)
            var vars: [String: JSONValue] = ["outcome": .string(outcome)]
            if outcome == "unreachable" {
                vars["ansible_connection"] = "ssh"
                vars["ansible_host"] = "127.0.0.1"
                vars["ansible_port"] = 1
                vars["ansible_ssh_common_args"] = "-o ConnectTimeout=5 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
            } else {
                vars["ansible_connection"] = "local"
                vars["ansible_python_interpreter"] = "{{ ansible_playbook_python }}"
            }
            if index < 10 { first[name] = .object(vars) } else { second[name] = .object(vars) }
        }
        let inventory: JSONValue = [
            "all": ["children": ["first": .null, "second": .null]],
            "first": ["hosts": .object(first), "vars": ["group_marker": "first"]],
            "second": ["hosts": .object(second)],
        ]
        return (inventory, hosts)
    }

    static func localInventory(hosts: [String]) -> JSONValue {
        var entries: [String: JSONValue] = [:]
        for host in hosts {
            entries[host] = ["ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"]
        }
        return ["all": ["hosts": .object(entries)]]
    }

    static func shard(
        repository: GitRepositoryFixture, entry: String = "site.yml", inventory: JSONValue, hosts: [String], options: JobOptions = JobOptions(),
        credential: SealedCredential? = nil, jobUUID: UUID = UUID(), gitRepo: String? = nil
    ) -> ShardMessage {
        ShardMessage(
            jobUUID: jobUUID, jobID: 1, index: 0, count: 1, pool: "default",
            playbook: PlaybookSpec(id: 1, name: "test", gitRepo: gitRepo ?? repository.path, entry: entry, commit: repository.commit),
            inventory: inventory, hosts: hosts, options: options, credential: credential)
    }

    static func configuration(workDirectory: String, _ values: [String: String] = [:]) throws -> PansibleConfiguration {
        var all: [String: String] = [
            "worker.work_dir": workDirectory,
            "worker.callback_plugins": packageRoot + "/callback_plugins",
            "worker.id": "test-worker",
            "worker.cancel_grace": "3",
            "worker.kill_grace": "2",
            "worker.batch_interval_ms": "10",
            "worker.result_max_bytes": "2000",
        ]
        // PANSIBLE_TEST_ANSIBLE_PLAYBOOK runs the suites with another ansible-core (e.g. 2.14 in a virtualenv).
        if let ansible = ProcessInfo.processInfo.environment["PANSIBLE_TEST_ANSIBLE_PLAYBOOK"] {
            all["worker.ansible_playbook"] = ansible
        }
        all.merge(values) { _, new in new }
        return try PansibleConfiguration(source: ConfigurationSource(values: all))
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-work-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// - Parameters:
    ///   - environment: the worker's environment (default: the test process's).
    static func runner(
        configuration: PansibleConfiguration, publisher: any MessagePublishing, registry: CancellationRegistry = CancellationRegistry(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ShardRunner {
        let worker = configuration.worker
        let logger = Logger(label: "test.worker")
        return ShardRunner(
            configuration: worker, sealer: try configuration.gateway.secretKey.map { try CredentialSealer(base64Key: $0) },
            repositories: RepositoryCache(directory: worker.workDirectory + "/repos", environment: environment, logger: logger),
            publisher: publisher,
            mitogen: MitogenSupport(ansiblePlaybook: worker.ansiblePlaybook, environment: environment, logger: logger),
            pluginDirectory: try CallbackPluginLocator.locate(configured: worker.callbackPlugins),
            isolation: RunIsolation.resolve(configuration: worker), registry: registry,
            baseEnvironment: environment, logger: logger)
    }
}
