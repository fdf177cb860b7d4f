import Foundation
import Shared
import TestSupport
import Testing

@testable import Worker

/// The worker and the `pansible.ledger` stream on RabbitMQ: cancels outlive the workers that were running
/// when they were published, a shard delivered twice runs once, a shard past its job's deadline never runs.
@Suite(.serialized, .enabled(if: TestServices.available, "needs RabbitMQ (make test)"))
struct WorkerLedgerTests {
    /// A playbook that connects once to `marker` on every run, then takes a moment. (A sandboxed run cannot leave
    /// a file where the test would see it; a connection to a listener that counts them gets through.)
    static func markerPlaybook(_ marker: StalledGitServer, sleep: Int = 2) -> String {
        """
        - hosts: all
          gather_facts: false
          tasks:
            - ansible.builtin.shell: exec 3<>/dev/tcp/127.0.0.1/\(marker.port)
              args: {executable: /bin/bash}
            - ansible.builtin.command: sleep \(sleep)
        """
    }

    /// Waits (bounded) for a worker's first heartbeat: its shard consumer is open from then on.
    static func firstHeartbeat(_ subscription: Subscription) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for try await _ in subscription.deliveries { return true }
                return false
            }
            group.addTask {
                try await Task.sleep(for: .seconds(120))
                return false
            }
            defer { group.cancelAll() }
            guard try await group.next() == true else { throw TestFailure("no worker heartbeat within 120 s") }
        }
    }

    static func runs(_ marker: StalledGitServer) -> Int {
        marker.connectionCount
    }

    @Test func aCancelPublishedWhileNoWorkerRunsStopsTheShardOfALaterWorker() async throws {
        let broker = try await WorkerBroker()
        let work = try WorkerFixtures.temporaryDirectory()
        let marker = try StalledGitServer()
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": Self.markerPlaybook(marker)])
        defer {
            marker.close()
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a"]), hosts: ["a"])
        // No worker runs: the shard waits in the queue and the cancel has no worker to reach.
        try await broker.publish(shard)
        try await broker.cancel(job: shard.jobUUID)

        try await broker.withWorker(configuration: try broker.configuration(workDirectory: "\(work)/worker")) {
            let canceled = try await broker.wait(for: "shard_canceled") { $0.events(job: shard.jobUUID, type: PipelineEventType.shardCanceled).first }
            #expect(canceled.event.data?["reason"]?.stringValue == "the job was cancelled before this shard started")
        }
        #expect(await broker.events.batches.events(job: shard.jobUUID, type: "playbook_on_start").isEmpty)
        #expect(Self.runs(marker) == 0)
        #expect(try await broker.shardQueueStaysEmpty())
        await broker.close()
    }

    @Test func theSameShardPublishedTwiceRunsOnceAndAgainAfterItFinishedNotAtAll() async throws {
        let broker = try await WorkerBroker()
        let work = try WorkerFixtures.temporaryDirectory()
        let marker = try StalledGitServer()
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": Self.markerPlaybook(marker)])
        defer {
            marker.close()
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a"]), hosts: ["a"])
        let configuration = try broker.configuration(workDirectory: "\(work)/worker", ["worker.concurrency": "2"])

        try await broker.withWorker(configuration: configuration) {
            // Both copies are delivered at once (two slots): one runs, the other is acknowledged without running.
            try await broker.publish(shard)
            try await broker.publish(shard)
            _ = try await broker.wait(for: "shard_finished") { $0.run(ending: PipelineEventType.shardFinished, job: shard.jobUUID) }
            #expect(try await broker.shardQueueStaysEmpty())
        }
        #expect(Self.runs(marker) == 1)
        #expect(await broker.events.batches.events(job: shard.jobUUID, type: PipelineEventType.shardStarted).count == 1)

        // A copy arriving after the shard finished, at a worker started afresh, is not run either.
        let heartbeats = try await broker.client.subscribe(exchange: Topology.workersExchange, bindingKeys: ["#"], autoAck: true, prefetch: 10)
        try await broker.withWorker(configuration: configuration) {
            try await Self.firstHeartbeat(heartbeats)
            try await broker.publish(shard)
            #expect(try await broker.shardQueueStaysEmpty())
        }
        heartbeats.cancel()
        #expect(try await broker.shardQueueStaysEmpty())
        #expect(Self.runs(marker) == 1)
        #expect(await broker.events.batches.events(job: shard.jobUUID, type: PipelineEventType.shardStarted).count == 1)
        await broker.close()
    }

    /// A shard the broker hands out again while the worker that claimed its earlier attempt is alive (its
    /// connection dropped mid-run) waits for that run: once the other worker records it done, the delivery
    /// is acknowledged without running. When the other worker falls silent instead, the shard runs.
    @Test func aRedeliveryWaitsWhileAnotherLiveWorkerRunsTheEarlierAttempt() async throws {
        let broker = try await WorkerBroker()
        let work = try WorkerFixtures.temporaryDirectory()
        let marker = try StalledGitServer()
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": Self.markerPlaybook(marker, sleep: 0)])
        defer {
            marker.close()
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        let inventory = WorkerFixtures.localInventory(hosts: ["a"])
        let finished = WorkerFixtures.shard(repository: repository, inventory: inventory, hosts: ["a"])
        let abandoned = WorkerFixtures.shard(repository: repository, inventory: inventory, hosts: ["a"])

        // Another worker, "elsewhere", claimed each shard's first delivery and is alive: it heartbeats.
        let encoder = MessageCoding.encoder()
        for shard in [finished, abandoned] {
            let claim = LedgerRecord(kind: .claim, writer: "elsewhere", shard: shard.messageID, attempt: 1, runID: UUID())
            try await broker.client.publish([
                OutgoingMessage(exchange: Topology.ledgerExchange, routingKey: "", body: Array(try encoder.encode(claim)), messageID: claim.messageID)
            ])
        }
        let heartbeats = Task {
            while !Task.isCancelled {
                let heartbeat = WorkerHeartbeat(workerID: "elsewhere", pool: "default", slots: 2, running: 2, interval: 0.5, stopping: false)
                try? await broker.client.publish([
                    OutgoingMessage(
                        exchange: Topology.workersExchange, routingKey: "default", body: try MessageCoding.encode(heartbeat),
                        messageID: UUID().uuidString)
                ])
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        defer { heartbeats.cancel() }

        // Both shards' first deliveries went back to the queue (that worker's connection dropped): the next
        // deliveries are attempt 2.
        try await broker.publish(finished)
        try await broker.publish(abandoned)
        var returned = 0
        for try await delivery in try await broker.client.consume(queue: Topology.shardsQueue(pool: "default"), prefetch: 2) {
            try await delivery.nack(requeue: true)
            returned += 1
            if returned == 2 { break }
        }

        let configuration = try broker.configuration(workDirectory: "\(work)/worker", ["worker.concurrency": "2"])
        try await broker.withWorker(configuration: configuration) {
            try await Task.sleep(for: .seconds(4))
            #expect(Self.runs(marker) == 0, "a redelivery ran beside the live worker's run")
            // The other worker's run of the first shard ends: it is done, and its waiting delivery is acknowledged.
            let done = LedgerRecord(kind: .done, writer: "elsewhere", shard: finished.messageID)
            try await broker.client.publish([
                OutgoingMessage(exchange: Topology.ledgerExchange, routingKey: "", body: Array(try encoder.encode(done)), messageID: done.messageID)
            ])
            try await Task.sleep(for: .seconds(2))
            #expect(Self.runs(marker) == 0)
            // The other worker falls silent: the second shard runs here.
            heartbeats.cancel()
            _ = try await broker.wait(for: "shard_finished") { $0.run(ending: PipelineEventType.shardFinished, job: abandoned.jobUUID) }
            #expect(try await broker.shardQueueStaysEmpty())
        }
        #expect(Self.runs(marker) == 1)
        #expect(await broker.events.batches.events(job: finished.jobUUID, type: PipelineEventType.shardStarted).isEmpty)
        await broker.close()
    }

    @Test func aShardPastItsJobsDeadlineIsReportedWithoutRunning() async throws {
        let broker = try await WorkerBroker()
        let work = try WorkerFixtures.temporaryDirectory()
        let marker = try StalledGitServer()
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": Self.markerPlaybook(marker, sleep: 0)])
        defer {
            marker.close()
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        var late = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a"]), hosts: ["a"])
        late.deadline = Date(timeIntervalSinceNow: -60)
        let shard = late

        try await broker.withWorker(configuration: try broker.configuration(workDirectory: "\(work)/worker")) {
            try await broker.publish(shard)
            let error = try await broker.wait(for: "shard_error") { $0.events(job: shard.jobUUID, type: PipelineEventType.shardError).first }
            #expect(error.event.data?["reason"]?.stringValue == "the job's deadline passed before this shard started")
        }
        #expect(Self.runs(marker) == 0)
        #expect(await broker.events.batches.events(job: shard.jobUUID, type: "playbook_on_start").isEmpty)
        #expect(try await broker.shardQueueStaysEmpty())
        await broker.close()
    }
}
