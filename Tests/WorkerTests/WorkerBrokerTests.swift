import Foundation
import Shared
import TestSupport
import Testing

@testable import Worker

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

#if canImport(Glibc)
    import Glibc
#endif

/// The worker against RabbitMQ: shards from the pool's queue, events to `pansible.events`, cancels from
/// the control fanout, poison messages dead-lettered, and a worker killed mid-shard.
@Suite(.serialized, .enabled(if: TestServices.available, "needs RabbitMQ (make test)"))
struct WorkerBrokerTests {
    @Test func shardFromTheQueueRunsAndItsEventsArriveInOrder() async throws {
        let broker = try await WorkerBroker()
        let repository = try await GitRepositoryFixture.create(files: [
            "site.yml": WorkerFixtures.outcomesPlaybook, "included.yml": WorkerFixtures.includedTasks,
        ])
        let work = try WorkerFixtures.temporaryDirectory()
        defer {
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        let (inventory, hosts) = WorkerFixtures.outcomesInventory()
        let shard = WorkerFixtures.shard(repository: repository, inventory: inventory, hosts: hosts)
        let port = TestServices.freePort()
        let configuration = try broker.configuration(workDirectory: work, ["worker.concurrency": "1", "worker.port": "127.0.0.1:\(port)"])

        try await broker.withWorker(configuration: configuration) {
            try await broker.publish(shard)
            let finished = try await broker.wait(for: "shard_finished") { $0.run(ending: PipelineEventType.shardFinished, job: shard.jobUUID) }
            let events = await broker.events.events(run: try #require(finished.runID))
            #expect(events.map { $0.counter ?? 0 } == Array(1...events.count))
            #expect(events.last?.type == PipelineEventType.shardFinished)
            let recap = HostCounts.recap(from: events.compactMap(\.stdout).joined())
            #expect(recap.count == 20)
            #expect(HostCounts.stats(from: events.last?.data?["stats"]) == recap)
            #expect(finished.attempt == 1 && finished.workerID == "test-worker" && finished.shardIndex == 0)

            // Health, readiness and metrics on worker.port.
            let base = URL(string: "http://127.0.0.1:\(port)")!
            let (_, ready) = try await URLSession.shared.data(from: base.appendingPathComponent("readyz"))
            #expect((ready as? HTTPURLResponse)?.statusCode == 200)
            // The run is counted right after its last confirm, which may come just after the event arrived here.
            var text = ""
            for _ in 0..<100 where !text.contains(#"pansible_worker_shard_runs_total{result="finished"} 1"#) {
                let (metrics, _) = try await URLSession.shared.data(from: base.appendingPathComponent("metrics"))
                text = String(decoding: metrics, as: UTF8.self)
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(text.contains(#"pansible_worker_shard_runs_total{result="finished"} 1"#))
            #expect(text.contains("pansible_worker_events_total \(events.count)"))
        }

        #expect(try await broker.shardQueueStaysEmpty())
        await broker.close()
    }

    @Test func gracefulShutdownFinishesTheRunningShard() async throws {
        let broker = try await WorkerBroker()
        let playbook = """
            - hosts: all
              gather_facts: false
              tasks:
                - ansible.builtin.command: sleep 3
                - ansible.builtin.debug: {msg: after}
            """
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": playbook])
        let work = try WorkerFixtures.temporaryDirectory()
        defer {
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a"]), hosts: ["a"])
        let group = try buildWorker(configuration: try broker.configuration(workDirectory: work), logger: WorkerBroker.logger)
        let running = Task { try await group.run() }
        try await broker.publish(shard)
        _ = try await broker.wait(for: "the run to start") { $0.events(job: shard.jobUUID, type: "runner_on_start").first }

        await group.triggerGracefulShutdown()
        try await running.value

        // The group ended only after the shard finished, its events were confirmed and it was acked.
        let finished = try await broker.wait(for: "shard_finished") { $0.run(ending: PipelineEventType.shardFinished, job: shard.jobUUID) }
        let events = await broker.events.events(run: try #require(finished.runID))
        #expect(events.filter { $0.type == "runner_on_ok" }.count == 2)
        #expect(try await broker.shardQueueStaysEmpty())
        await broker.close()
    }

    @Test func undecodableShardIsDeadLettered() async throws {
        let broker = try await WorkerBroker()
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        try await broker.withWorker(configuration: try broker.configuration(workDirectory: work)) {
            try await broker.client.publish(
                OutgoingMessage(exchange: Topology.shardsExchange, routingKey: "default", body: Array("not a shard".utf8), messageID: "poison/1"))
            let deadline = ContinuousClock.now + .seconds(60)
            while await !broker.events.dead.contains("poison/1"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(await broker.events.dead.contains("poison/1"))
        }
        await broker.close()
    }

    @Test func cancelFromTheControlExchangeStopsTheRun() async throws {
        let broker = try await WorkerBroker()
        let playbook = """
            - hosts: all
              gather_facts: false
              tasks:
                - name: long
                  ansible.builtin.command: sleep 120
            """
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": playbook])
        let work = try WorkerFixtures.temporaryDirectory()
        defer {
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a", "b"]), hosts: ["a", "b"])
        try await broker.withWorker(configuration: try broker.configuration(workDirectory: work)) {
            try await broker.publish(shard)
            let pid = try await broker.wait(for: "both hosts to start") { batches -> Int64? in
                guard batches.events(job: shard.jobUUID, type: "runner_on_start").count == 2 else { return nil }
                return batches.events(job: shard.jobUUID, type: "playbook_on_start").first?.event.data?["pid"]?.intValue
            }
            #expect(kill(-pid_t(pid), 0) == 0)
            try await broker.cancel(job: shard.jobUUID)
            let canceled = try await broker.wait(for: "shard_canceled") { $0.events(job: shard.jobUUID, type: PipelineEventType.shardCanceled).first }
            // The run reports the cancel only once its whole process group is gone.
            #expect(kill(-pid_t(pid), 0) == -1 && errno == ESRCH)
            #expect(canceled.event.data?["reason"]?.stringValue == "the job was cancelled")

            // A shard of the cancelled job arriving later is acknowledged without running.
            var later = shard
            later.index = 1
            try await broker.publish(later)
            let skipped = try await broker.wait(for: "the second shard_canceled") { batches in
                batches.events(job: shard.jobUUID, type: PipelineEventType.shardCanceled).first { $0.batch.shardIndex == 1 }
            }
            #expect(skipped.event.data?["rc"] == nil)
        }
        await broker.close()
    }

    /// Sandboxed or not, the orphaned run ends itself once its worker's lock on the run is gone.
    @Test(arguments: [IsolationMode.bubblewrap, .none])
    func killedWorkersShardRunsAgainOnAnotherWorker(isolation: IsolationMode) async throws {
        let broker = try await WorkerBroker()
        let playbook = """
            - hosts: all
              gather_facts: false
              tasks:
                - name: slow
                  ansible.builtin.command: sleep 3
                - name: after
                  ansible.builtin.debug: {msg: done}
            """
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": playbook])
        let work = try WorkerFixtures.temporaryDirectory()
        defer {
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a", "b"]), hosts: ["a", "b"])
        func environment(_ id: String) -> [String: String] {
            [
                "PANSIBLE_AMQP_URL": broker.url, "PANSIBLE_AMQP_RECONNECT_MAX_DELAY": "0.5", "PANSIBLE_WORKER_ID": id,
                "PANSIBLE_WORKER_WORK_DIR": "\(work)/\(id)", "PANSIBLE_LOG_LEVEL": "info",
                "PANSIBLE_WORKER_CALLBACK_PLUGINS": WorkerFixtures.packageRoot + "/callback_plugins",
                "PANSIBLE_WORKER_ISOLATION": isolation.rawValue,
            ]
        }
        let logs = URL(fileURLWithPath: work)
        let first = try await ServiceProcess(
            binary: "pansible-worker", arguments: ["--concurrency", "1"], environment: environment("first"), logDirectory: logs)
        try await broker.publish(shard)
        let pid = try await broker.wait(for: "the first worker to run the shard") { batches -> Int64? in
            guard batches.events(job: shard.jobUUID, type: "runner_on_start").count == 2 else { return nil }
            return batches.events(job: shard.jobUUID, type: "playbook_on_start").first?.event.data?["pid"]?.intValue
        }
        await first.stop(signal: SIGKILL)

        let second = try await ServiceProcess(
            binary: "pansible-worker", arguments: ["--concurrency", "1"], environment: environment("second"), logDirectory: logs)
        let finished = try await broker.wait(for: "the shard to finish on the second worker") {
            $0.run(ending: PipelineEventType.shardFinished, job: shard.jobUUID)
        }
        #expect(finished.workerID == "second")
        #expect(finished.attempt == 2)
        let events = await broker.events.events(run: try #require(finished.runID))
        #expect(events.filter { $0.type == "runner_on_ok" }.count == 4)
        #expect(HostCounts.stats(from: events.last?.data?["stats"]).values.allSatisfy { $0.ok == 2 && $0.failures == 0 })
        // The orphaned Ansible of the killed worker ended itself.
        let deadline = ContinuousClock.now + .seconds(30)
        while kill(-pid_t(pid), 0) == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(kill(-pid_t(pid), 0) == -1)
        await second.stop()
        await broker.close()
    }
}
