import Crypto
import Foundation
import Shared
import TestSupport
import Testing

@testable import Worker

#if canImport(Glibc)
    import Glibc
#endif

/// Runs shards with the real `ansible-playbook`, a real git repository and the callback plugin; the
/// publisher records what would go to the broker.
@Suite(.serialized) struct ShardRunnerTests {
    @Test func eventsMatchAnsiblesOwnRecap() async throws {
        let repository = try await GitRepositoryFixture.create(files: [
            "site.yml": WorkerFixtures.outcomesPlaybook, "included.yml": WorkerFixtures.includedTasks,
        ])
        defer { repository.remove() }
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let publisher = RecordingPublisher()
        let runner = try WorkerFixtures.runner(configuration: WorkerFixtures.configuration(workDirectory: work), publisher: publisher)
        let (inventory, hosts) = WorkerFixtures.outcomesInventory()
        let shard = WorkerFixtures.shard(repository: repository, inventory: inventory, hosts: hosts, options: JobOptions(forks: 10))

        let outcome = await runner.run(shard, attempt: 1)

        #expect(outcome.delivered)
        #expect(outcome.finalEvent == PipelineEventType.shardFinished)
        #expect(outcome.exitCode == 4)  // some host was unreachable (2 when hosts only failed)
        let batches = try await publisher.batches()
        #expect(batches.allSatisfy { $0.jobUUID == shard.jobUUID && $0.runID == outcome.runID && $0.attempt == 1 && $0.workerID == "test-worker" })
        #expect(batches.allSatisfy { $0.routingKey == "job.\(shard.jobUUID.uuidString.lowercased()).worker" })
        let events = try await publisher.events()

        // Counters: strictly increasing from 1, no gaps; ids unique.
        #expect(events.map { $0.counter ?? -1 } == Array(1...events.count))
        #expect(Set(events.map(\.id)).count == events.count)
        #expect(events.first?.type == PipelineEventType.shardStarted)
        #expect(events.last?.type == PipelineEventType.shardFinished)

        // The log rebuilt from the events holds Ansible's recap; it matches the stats event and the
        // per-host runner events.
        let log = events.compactMap(\.stdout).joined()
        let recap = HostCounts.recap(from: log)
        #expect(recap.count == 20)
        let statsEvent = try #require(events.first { $0.type == "playbook_on_stats" })
        let stats = HostCounts.stats(from: statsEvent.data?["stats"])
        #expect(stats == recap)
        let folded = HostCounts.fold(events, rescued: stats.mapValues(\.rescued))
        #expect(folded == recap)
        let finished = try #require(events.last)
        #expect(HostCounts.stats(from: finished.data?["stats"]) == recap)
        #expect(finished.data?["rc"]?.intValue == 4)
        #expect(finished.data?["attempt"]?.intValue == 1)
        #expect(finished.data?["worker_id"]?.stringValue == "test-worker")

        // Every kind of outcome happened, so the comparison above covers them.
        #expect(recap["host01"]?.ok ?? 0 > 0)
        #expect(recap["host04"]?.changed == 1)
        #expect(recap["host07"]?.failures == 1)
        #expect(recap["host09"]?.skipped ?? 0 > 0)
        #expect(recap["host11"]?.ignored == 1)
        #expect(recap["host13"]?.rescued == 1)
        #expect(recap["host15"]?.unreachable == 1)

        // Retries, async polls, includes.
        #expect(events.contains { $0.type == "runner_retry" && $0.host == "host01" && $0.task == "retried" })
        #expect(events.contains { $0.type == "runner_on_async_poll" && $0.host == "host01" })
        #expect(events.contains { $0.type == "runner_on_async_ok" && $0.host == "host01" })
        #expect(events.contains { $0.type == "playbook_on_include" && $0.data?["hosts"] == ["host01"] })
        #expect(events.contains { $0.type == "runner_on_ok" && $0.host == "host01" && $0.task == "from the included file" })

        // Loop items, no_log censoring and trimming.
        #expect(events.filter { $0.type == "runner_item_on_ok" && $0.host == "host01" }.count == 3)
        let secrets = events.filter { $0.type == "runner_on_ok" && $0.task == "secret" }
        #expect(!secrets.isEmpty)
        #expect(secrets.allSatisfy { $0.result?["censored"] != nil && $0.result?["msg"] == nil })
        #expect(!log.contains("hunter2"))
        let big = try #require(events.first { $0.type == "runner_on_ok" && $0.task == "big" })
        #expect(big.resultTrimmed == true)
        #expect((big.result?["msg"]?.stringValue?.count ?? 0) < 1000)

        // Task and play context on runner events; durations on results.
        let failed = try #require(events.first { $0.type == "runner_on_failed" && $0.host == "host07" })
        #expect(failed.task == "fail on some" && failed.taskAction == "ansible.builtin.fail" && failed.play == "outcomes")
        #expect(failed.taskUUID != nil && failed.parentUUID == failed.taskUUID && failed.startedAt != nil && failed.duration != nil)
        #expect(events.contains { $0.type == "playbook_on_task_start" && $0.task == "fails inside block" })

        // The run directory, credential files included, is gone.
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: work + "/runs")) ?? []
        #expect(runs.isEmpty)
    }

    @Test func missingRepositoryIsAShardError() async throws {
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": "- hosts: all\n  tasks: []\n"])
        repository.remove()
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let publisher = RecordingPublisher()
        let runner = try WorkerFixtures.runner(configuration: WorkerFixtures.configuration(workDirectory: work), publisher: publisher)
        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a"]), hosts: ["a"])

        let outcome = await runner.run(shard, attempt: 3)

        #expect(outcome.delivered)
        #expect(outcome.finalEvent == PipelineEventType.shardError)
        let events = try await publisher.events()
        #expect(events.map(\.type) == [PipelineEventType.shardStarted, PipelineEventType.shardError])
        let reason = events.last?.data?["reason"]?.stringValue ?? ""
        #expect(reason.contains("git clone failed"))
        #expect(events.last?.data?["attempt"]?.intValue == 3)
    }

    @Test func missingAnsibleIsAShardError() async throws {
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": "- hosts: all\n  tasks: []\n"])
        defer { repository.remove() }
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let publisher = RecordingPublisher()
        let configuration = try WorkerFixtures.configuration(workDirectory: work, ["worker.ansible_playbook": "/nonexistent/ansible-playbook"])
        let runner = try WorkerFixtures.runner(configuration: configuration, publisher: publisher)
        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a"]), hosts: ["a"])

        let outcome = await runner.run(shard, attempt: 1)

        #expect(outcome.finalEvent == PipelineEventType.shardError)
        let reason = try await publisher.events().last?.data?["reason"]?.stringValue ?? ""
        #expect(reason.contains("/nonexistent/ansible-playbook not found"))
    }

    @Test func cancelStopsTheProcessGroup() async throws {
        let playbook = """
            - hosts: all
              gather_facts: false
              tasks:
                - name: long
                  ansible.builtin.command: sleep 60
            """
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": playbook])
        defer { repository.remove() }
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let publisher = RecordingPublisher()
        let registry = CancellationRegistry()
        let runner = try WorkerFixtures.runner(
            configuration: WorkerFixtures.configuration(workDirectory: work), publisher: publisher, registry: registry)
        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a", "b"]), hosts: ["a", "b"])

        let run = Task { await runner.run(shard, attempt: 1) }
        let pid: Int64 = try await waitForEvents(publisher) { events in
            guard events.filter({ $0.type == "runner_on_start" }).count == 2 else { return nil }
            return events.first { $0.type == "playbook_on_start" }?.data?["pid"]?.intValue
        }
        #expect(kill(-pid_t(pid), 0) == 0)

        await registry.cancel(job: shard.jobUUID)

        // cancel returns once the group is gone (SIGINT, then SIGTERM and SIGKILL after the graces).
        #expect(kill(-pid_t(pid), 0) == -1 && errno == ESRCH)
        let outcome = await run.value
        #expect(outcome.finalEvent == PipelineEventType.shardCanceled)
        #expect(outcome.delivered)
        #expect(try await publisher.events().last?.type == PipelineEventType.shardCanceled)

        // A shard of the cancelled job that comes later is acknowledged without running.
        let later = await runner.run(shard, attempt: 1)
        #expect(later.finalEvent == PipelineEventType.shardCanceled)
        #expect(later.exitCode == nil)
    }

    @Test func timeoutStopsTheRun() async throws {
        let playbook = """
            - hosts: all
              gather_facts: false
              tasks:
                - ansible.builtin.command: sleep 60
            """
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": playbook])
        defer { repository.remove() }
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let publisher = RecordingPublisher()
        let runner = try WorkerFixtures.runner(configuration: WorkerFixtures.configuration(workDirectory: work), publisher: publisher)
        let shard = WorkerFixtures.shard(
            repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a"]), hosts: ["a"], options: JobOptions(timeout: 3))

        let outcome = await runner.run(shard, attempt: 1)

        #expect(outcome.finalEvent == PipelineEventType.shardError)
        let last = try await publisher.events().last
        #expect(last?.data?["reason"]?.stringValue == "timed out after 3 s")
    }

    @Test func eventsWaitForTheBrokerAndArriveInOrder() async throws {
        let playbook = """
            - hosts: all
              gather_facts: false
              tasks:
                - ansible.builtin.debug: {msg: one}
                - ansible.builtin.debug: {msg: two}
            """
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": playbook])
        defer { repository.remove() }
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let publisher = RecordingPublisher()
        await publisher.setRefusing(true)
        let configuration = try WorkerFixtures.configuration(workDirectory: work, ["worker.batch_size": "3", "worker.buffer_events": "4"])
        let runner = try WorkerFixtures.runner(configuration: configuration, publisher: publisher)
        let hosts = ["a", "b", "c"]
        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: hosts), hosts: hosts)

        let run = Task { await runner.run(shard, attempt: 1) }
        // Let Ansible run to its end while every publish fails.
        while await publisher.refused < 4 { try await Task.sleep(for: .milliseconds(100)) }
        try await Task.sleep(for: .seconds(3))
        await publisher.setRefusing(false)
        let outcome = await run.value

        #expect(outcome.delivered)
        let events = try await publisher.events()
        #expect(events.map { $0.counter ?? -1 } == Array(1...events.count))
        #expect(events.filter { $0.type == "runner_on_ok" }.count == 6)
        #expect(events.last?.type == PipelineEventType.shardFinished)
        #expect(try await publisher.batches().allSatisfy { $0.events.count <= 3 })
    }

    @Test func credentialKeyIsUsedAndRemoved() async throws {
        let playbook = """
            - hosts: all
              gather_facts: false
              tasks:
                - name: key
                  ansible.builtin.debug:
                    msg: "{{ lookup('ansible.builtin.file', lookup('ansible.builtin.env', 'ANSIBLE_PRIVATE_KEY_FILE')) | hash('sha1') }}"
            """
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": playbook])
        defer { repository.remove() }
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let key = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let sealer = try CredentialSealer(base64Key: key)
        let secretKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----"
        let sealed = try sealer.seal(CredentialSecret(sshPrivateKey: secretKey, username: "deploy")).base64EncodedString()
        let publisher = RecordingPublisher()
        let runner = try WorkerFixtures.runner(
            configuration: WorkerFixtures.configuration(workDirectory: work, ["secret_key": key]), publisher: publisher)
        let shard = WorkerFixtures.shard(
            repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a"]), hosts: ["a"],
            credential: SealedCredential(id: 1, name: "deploy", sealed: sealed))

        let outcome = await runner.run(shard, attempt: 1)

        #expect(outcome.finalEvent == PipelineEventType.shardFinished)
        let events = try await publisher.events()
        let ok = try #require(events.first { $0.type == "runner_on_ok" })
        #expect(ok.result?["msg"]?.stringValue == sha1Hex(secretKey))  // the file lookup strips the final newline
        #expect(!events.compactMap(\.stdout).joined().contains("not-a-real-key"))

        // The wrong key is a shard error that names no secret.
        let other = try WorkerFixtures.runner(
            configuration: WorkerFixtures.configuration(
                workDirectory: work, ["secret_key": Data(repeating: 7, count: 32).base64EncodedString()]), publisher: publisher)
        let failed = await other.run(shard, attempt: 1)
        #expect(failed.finalEvent == PipelineEventType.shardError)
    }

    @Test func mitogenRunsWhenAvailableAndAJobCanTurnItOff() async throws {
        let playbook = """
            - hosts: all
              gather_facts: false
              tasks:
                - ansible.builtin.command: "true"
                - ansible.builtin.ping:
            """
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": playbook])
        defer { repository.remove() }
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let publisher = RecordingPublisher()
        let configuration = try WorkerFixtures.configuration(workDirectory: work, ["worker.mitogen": "true"])
        let runner = try WorkerFixtures.runner(configuration: configuration, publisher: publisher)
        let available = await runner.mitogen.strategyDirectory() != nil
        let hosts = ["a", "b"]

        for jobSetting in [nil, false] as [Bool?] {
            let shard = WorkerFixtures.shard(
                repository: repository, inventory: WorkerFixtures.localInventory(hosts: hosts), hosts: hosts,
                options: JobOptions(mitogen: jobSetting))
            let outcome = await runner.run(shard, attempt: 1)
            #expect(outcome.finalEvent == PipelineEventType.shardFinished)
            let events = try await publisher.events()
            let finished = try #require(
                events.last { $0.type == PipelineEventType.shardFinished && $0.id.contains(outcome.runID.uuidString.lowercased()) })
            // Without Mitogen installed (or compatible) the run is plain, and says so.
            #expect(finished.data?["mitogen"]?.boolValue == (jobSetting != false && available))
            #expect(HostCounts.stats(from: finished.data?["stats"]).values.map(\.ok) == [2, 2])
        }
    }

    /// Under Mitogen every host on the local connection shares one interpreter, which would run their tasks one
    /// after another; the plugin forks each such task. Each host's task waits until every host's task has
    /// begun, which only hosts running side by side can do (at most 15 s). A play that sets
    /// `mitogen_task_isolation: default` keeps the shared interpreter: there the first host waits alone (3 s) and
    /// fails, whatever the machine's speed.
    @Test(arguments: [nil, "default"] as [String?])
    func localHostsRunSideBySideUnderMitogen(isolation: String?) async throws {
        let hosts = ["a", "b", "c"]
        let barrier = "/tmp/pansible-barrier-\(UUID().uuidString)"
        let playbook = """
            - hosts: all
              gather_facts: false
              vars: \(isolation.map { "{mitogen_task_isolation: \($0)}" } ?? "{}")
              tasks:
                - name: Wait until every host has begun
                  ansible.builtin.shell: |
                    mkdir -p \(barrier) && touch \(barrier)/{{ inventory_hostname }}
                    for i in $(seq \(isolation == nil ? 150 : 30)); do [ "$(ls \(barrier) | wc -l)" -ge \(hosts.count) ] && exit 0; sleep 0.1; done
                    exit 1
            """
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": playbook])
        defer { repository.remove() }
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let publisher = RecordingPublisher()
        let runner = try WorkerFixtures.runner(
            configuration: try WorkerFixtures.configuration(workDirectory: work, ["worker.mitogen": "true"]), publisher: publisher)
        try #require(await runner.mitogen.strategyDirectory() != nil, "Mitogen is not installed (make deps installs it)")

        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: hosts), hosts: hosts)
        let outcome = await runner.run(shard, attempt: 1)
        #expect(outcome.finalEvent == PipelineEventType.shardFinished)
        let finished = try #require(
            try await publisher.events().last { $0.type == PipelineEventType.shardFinished && $0.id.contains(outcome.runID.uuidString.lowercased()) })
        #expect(finished.data?["mitogen"]?.boolValue == true)
        let stats = HostCounts.stats(from: finished.data?["stats"])
        #expect(stats.count == hosts.count, "\(stats)")
        if isolation == nil {
            #expect(stats.values.allSatisfy { $0.ok == 1 && $0.failures == 0 }, "\(stats)")
        } else {
            #expect(stats.values.contains { $0.failures == 1 }, "\(stats)")
        }
    }

    /// Polls the recorded events until `extract` finds what it wants.
    private func waitForEvents<T: Sendable>(
        _ publisher: RecordingPublisher, _ extract: @Sendable ([PansibleEvent]) -> T?
    ) async throws -> T {
        for _ in 0..<600 {
            if let value = extract(try await publisher.events()) { return value }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("the expected events did not arrive")
    }

    private func sha1Hex(_ text: String) -> String {
        Insecure.SHA1.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
