import Foundation
import Shared
import TestSupport
import Testing

@testable import Worker

/// Stops and starts the shared broker (`make test` runs suites named *OutageTests alone).
@Suite(.serialized, .enabled(if: TestServices.available, "needs RabbitMQ (make test)"))
struct WorkerOutageTests {
    @Test func everyEventArrivesAcrossABrokerRestart() async throws {
        let broker = try await WorkerBroker()
        let playbook = """
            - hosts: all
              gather_facts: false
              tasks:
                - ansible.builtin.command: sleep 1
                - ansible.builtin.command: sleep 1
                - ansible.builtin.command: sleep 1
                - ansible.builtin.command: sleep 1
                - ansible.builtin.debug: {msg: done}
            """
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": playbook])
        let work = try WorkerFixtures.temporaryDirectory()
        defer {
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        let hosts = ["a", "b", "c"]
        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: hosts), hosts: hosts)
        try await broker.withWorker(configuration: try broker.configuration(workDirectory: work, ["worker.concurrency": "1"])) {
            try await broker.publish(shard)
            _ = try await broker.wait(for: "the run to start") { $0.events(job: shard.jobUUID, type: "runner_on_start").first }
            try await TestServices.runServicesScript(["stop-rabbitmq"])
            try await Task.sleep(for: .seconds(3))
            try await TestServices.runServicesScript(["start-rabbitmq"])

            let first = try await broker.wait(for: "a run to finish", seconds: 300) {
                $0.run(ending: PipelineEventType.shardFinished, job: shard.jobUUID)
            }
            // Every run that published anything (the interrupted delivery may run again) is complete:
            // counters 1...N without a gap, ending with shard_finished.
            let runs = Set(await broker.events.batches.filter { $0.jobUUID == shard.jobUUID }.compactMap(\.runID))
            #expect(runs.contains(try #require(first.runID)))
            for run in runs {
                let finished = try await broker.wait(for: "run \(run) to finish", seconds: 300) { batches in
                    batches.first { $0.runID == run && $0.events.contains { $0.type == PipelineEventType.shardFinished } }
                }
                let events = await broker.events.events(run: try #require(finished.runID))
                #expect(events.map { $0.counter ?? 0 } == Array(1...events.count))
                #expect(events.filter { $0.type == "runner_on_ok" }.count == 15)
                #expect(events.last?.type == PipelineEventType.shardFinished)
            }
        }
        await broker.close()
    }

    @Test func aShardDeliveredAgainAfterTheConnectionDroppedUnderItsRunRunsOnce() async throws {
        let broker = try await WorkerBroker()
        let work = try WorkerFixtures.temporaryDirectory()
        let marker = try StalledGitServer()
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": WorkerLedgerTests.markerPlaybook(marker, sleep: 8)])
        defer {
            marker.close()
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a"]), hosts: ["a"])
        try await broker.withWorker(configuration: try broker.configuration(workDirectory: "\(work)/worker", ["worker.concurrency": "1"])) {
            try await broker.publish(shard)
            let deadline = ContinuousClock.now + .seconds(120)
            while WorkerLedgerTests.runs(marker) == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            try #require(WorkerLedgerTests.runs(marker) == 1, "the run did not start within 120 s")

            // The broker goes away under the run: the shard returns to its queue and comes back to this worker.
            try await TestServices.runServicesScript(["stop-rabbitmq"])
            try await Task.sleep(for: .seconds(1))
            try await TestServices.runServicesScript(["start-rabbitmq"])

            _ = try await broker.wait(for: "shard_finished") { $0.run(ending: PipelineEventType.shardFinished, job: shard.jobUUID) }
            let settled = ContinuousClock.now + .seconds(120)
            while try await !broker.shardQueueStaysEmpty(), ContinuousClock.now < settled {}
        }
        #expect(try await broker.shardQueueStaysEmpty())
        #expect(WorkerLedgerTests.runs(marker) == 1)
        #expect(await broker.events.batches.events(job: shard.jobUUID, type: PipelineEventType.shardStarted).count == 1)
        await broker.close()
    }
}
