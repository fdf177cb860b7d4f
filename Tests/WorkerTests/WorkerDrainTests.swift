import Foundation
import Shared
import TestSupport
import Testing

@testable import Worker

/// A worker stopped gracefully while its pool's queue still holds shards: it stops consuming, hands back
/// what the broker had sent it once, finishes its running shards, and the other worker runs the rest; no
/// shard is dead-lettered or run twice.
@Suite(.serialized, .enabled(if: TestServices.available, "needs RabbitMQ (make test)"))
struct WorkerDrainTests {
    @Test func drainingWorkerHandsQueuedShardsToTheOtherWorker() async throws {
        let broker = try await WorkerBroker()
        let playbook = """
            - hosts: all
              gather_facts: false
              tasks:
                - ansible.builtin.command: "sleep {{ delay }}"
            """
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": playbook])
        let work = try WorkerFixtures.temporaryDirectory()
        defer {
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        let job = UUID()
        let count = 12
        // Shards of different lengths, so the draining worker's slots free up one at a time.
        let shards = (0..<count).map { index in
            let inventory: JSONValue = [
                "all": [
                    "hosts": [
                        "h": [
                            "ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                            "delay": .int(Int64(1 + index % 3)),
                        ]
                    ]
                ]
            ]
            var shard = WorkerFixtures.shard(repository: repository, inventory: inventory, hosts: ["h"], jobUUID: job)
            shard.index = index
            shard.count = count
            return shard
        }
        let draining = try buildWorker(
            configuration: try broker.configuration(
                workDirectory: work + "/draining", ["worker.concurrency": "2", "worker.id": "draining"]),
            logger: WorkerBroker.logger)
        let drainingRun = Task { try await draining.run() }
        try await broker.withWorker(
            configuration: try broker.configuration(workDirectory: work + "/staying", ["worker.concurrency": "2", "worker.id": "staying"])
        ) {
            for shard in shards { try await broker.publish(shard) }
            _ = try await broker.wait(for: "the draining worker to run a shard") { batches in
                batches.first { $0.jobUUID == job && $0.workerID == "draining" && $0.events.contains { $0.type == "runner_on_start" } }
            }
            await draining.triggerGracefulShutdown()
            try await drainingRun.value

            // Until every shard finished, or one is dead-lettered (it then never will).
            let deadline = ContinuousClock.now + .seconds(300)
            while Set(await broker.events.batches.events(job: job, type: PipelineEventType.shardFinished).map(\.batch.shardIndex)).count < count {
                let dead = await broker.events.dead
                guard dead.isEmpty else { throw TestFailure("shards dead-lettered: \(dead)") }
                guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting for every shard to finish") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        let batches = await broker.events.batches
        let dead = await broker.events.dead
        #expect(dead.isEmpty, "dead-lettered: \(dead)")
        for index in 0..<count {
            let runs = Set(batches.filter { $0.jobUUID == job && $0.shardIndex == index }.compactMap(\.runID))
            #expect(runs.count == 1, "shard \(index) ran \(runs.count) times")
            let finished = batches.events(job: job, type: PipelineEventType.shardFinished).filter { $0.batch.shardIndex == index }
            #expect(finished.count == 1 && finished.first?.event.data?["rc"]?.intValue == 0)
        }
        let workers = Set(batches.filter { $0.jobUUID == job }.compactMap(\.workerID))
        #expect(workers == ["draining", "staying"])
        #expect(try await broker.shardQueueStaysEmpty())
        await broker.close()
    }

    @Test func drainingWorkerStillObeysCancels() async throws {
        let broker = try await WorkerBroker()
        let playbook = """
            - hosts: all
              gather_facts: false
              tasks:
                - ansible.builtin.command: sleep 300
            """
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": playbook])
        let work = try WorkerFixtures.temporaryDirectory()
        defer {
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a"]), hosts: ["a"])
        let worker = try buildWorker(configuration: try broker.configuration(workDirectory: work), logger: WorkerBroker.logger)
        let running = Task { try await worker.run() }
        try await broker.publish(shard)
        _ = try await broker.wait(for: "the run to start") { $0.events(job: shard.jobUUID, type: "runner_on_start").first }

        await worker.triggerGracefulShutdown()
        try await broker.cancel(job: shard.jobUUID)
        let canceled = try await broker.wait(for: "shard_canceled", seconds: 120) {
            $0.events(job: shard.jobUUID, type: PipelineEventType.shardCanceled).first
        }
        #expect(canceled.event.data?["reason"]?.stringValue == "the job was cancelled")
        try await running.value
        #expect(try await broker.shardQueueStaysEmpty())
        await broker.close()
    }
}
