import Foundation
import Logging
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Collector

@Suite(.enabled(if: TestServices.available)) struct EventStoreTests {
    static func write(_ batches: [EventBatch], to store: PostgresEventStore) async throws -> WriteOutcome {
        try await store.write(batches.map { try IncomingBatch(batch: $0) })
    }

    @Test func duplicatesAndOutOfOrderBatchesAreStoredOnceAndFoldRight() async throws {
        try await TestDatabase.with { client, _ in
            let store = PostgresEventStore(client: client, logger: TestDatabase.logger)
            let scenario = JobScenario(shards: [["a", "b"], ["c"], ["d", "e"]], failingHosts: ["e"])
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            let batches = scenario.allBatches()
            let expected = batches.reduce(0) { $0 + $1.events.count }
            // Every batch twice, in a shuffled order, in writes of a few batches (a redelivered batch lands in
            // another transaction than its first copy).
            var generator = SeededGenerator(seed: 7)
            let deliveries = (batches + batches).shuffled(using: &generator)
            var inserted = 0
            for start in stride(from: 0, to: deliveries.count, by: 3) {
                inserted += try await Self.write(Array(deliveries[start..<min(start + 3, deliveries.count)]), to: store).inserted
            }
            #expect(inserted == expected)
            let counts = try await TestDatabase.count(client, job: scenario.jobUUID)
            #expect(counts.events == expected)
            #expect(counts.distinct == expected)
            let job = try await TestDatabase.jobStatus(client, job: scenario.jobUUID)
            #expect(job.status == "failed")
            #expect(job.shards == 3)
            let summaries = try await TestDatabase.summaries(client, job: scenario.jobUUID)
            #expect(summaries.count == 5)
            for shard in scenario.shards.indices {
                for (host, stats) in scenario.stats(shard: shard) {
                    #expect(summaries[host] == stats, "host \(host)")
                }
            }
            #expect(try await TestDatabase.failedEvents(client, job: scenario.jobUUID) == 1)
            let shards = try await TestDatabase.shards(client, job: scenario.jobUUID)
            #expect(shards.map(\.status) == ["successful", "successful", "failed"])
            #expect(shards.map(\.hosts) == scenario.shards)
        }
    }

    @Test func theJobRunsOnTheFirstEventAndFinishesWithItsLastShard() async throws {
        try await TestDatabase.with { client, _ in
            let store = PostgresEventStore(client: client, logger: TestDatabase.logger)
            let scenario = JobScenario(shards: [["a"], ["b"]])
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            #expect(try await TestDatabase.jobStatus(client, job: scenario.jobUUID).status == "pending")
            // A shard's events before the split.
            _ = try await Self.write(scenario.run(shard: 1), to: store)
            #expect(try await TestDatabase.jobStatus(client, job: scenario.jobUUID).status == "running")
            let outcome = try await Self.write([scenario.split], to: store)
            #expect(outcome.jobStatuses[scenario.jobUUID] == .running)
            let last = try await Self.write(scenario.run(shard: 0), to: store)
            #expect(last.jobStatuses[scenario.jobUUID] == .successful)
            #expect(last.finishedJobs == [scenario.jobUUID])
            #expect(try await TestDatabase.jobStatus(client, job: scenario.jobUUID).status == "successful")
        }
    }

    @Test func aSupersededAttemptIsKeptButDoesNotCount() async throws {
        try await TestDatabase.with { client, _ in
            let store = PostgresEventStore(client: client, logger: TestDatabase.logger)
            // Two shards, so the job is still running when shard 0's first attempt ends (a final status would stay).
            let failing = JobScenario(shards: [["a", "b"], ["c"]], failingHosts: ["a"])
            var fixed = failing
            fixed.failingHosts = []
            try await TestDatabase.insertJob(failing.jobUUID, client: client)
            let first = failing.run(shard: 0, attempt: 1)
            let second = fixed.run(shard: 0, attempt: 2)
            let other = fixed.run(shard: 1)
            // The first attempt's recap is written, then the retry's; then a late copy of the first attempt's end.
            _ = try await Self.write([failing.split] + first, to: store)
            #expect(try await TestDatabase.summaries(client, job: failing.jobUUID)["a"]?.failures == 1)
            #expect(try await TestDatabase.jobStatus(client, job: failing.jobUUID).status == "running")
            _ = try await Self.write(second, to: store)
            _ = try await Self.write(Array(first.suffix(1)), to: store)
            _ = try await Self.write(other, to: store)
            let summaries = try await TestDatabase.summaries(client, job: failing.jobUUID)
            #expect(summaries["a"] == fixed.stats(shard: 0)["a"])
            #expect(try await TestDatabase.jobStatus(client, job: failing.jobUUID).status == "successful")
            let counts = try await TestDatabase.count(client, job: failing.jobUUID)
            let runs = first + second + other
            #expect(counts.events == 1 + runs.reduce(0) { $0 + $1.events.count })
            let shards = try await TestDatabase.shards(client, job: failing.jobUUID)
            #expect(shards.first?.attempts == 2)
        }
    }

    @Test func aDeadLetteredShardMessageErrorsTheJob() async throws {
        try await TestDatabase.with { client, _ in
            let store = PostgresEventStore(client: client, logger: TestDatabase.logger)
            let scenario = JobScenario(shards: [["a"], ["b"]])
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            _ = try await Self.write([scenario.split] + scenario.run(shard: 0), to: store)
            let shard = ShardMessage(
                jobUUID: scenario.jobUUID, jobID: 1, index: 1, count: 2, pool: "default",
                playbook: PlaybookSpec(id: 1, name: "p", gitRepo: "/tmp/r", entry: "site.yml"), inventory: .object([:]), hosts: ["b"],
                options: JobOptions(), credential: nil
            )
            let delivery = Delivery(
                body: try MessageCoding.encode(shard), messageID: shard.messageID, exchange: Topology.deadLetterExchange, routingKey: "default",
                deliveryTag: 1, deliveryCount: 0, redelivered: false, headers: ["x-delivery-count": "5"], acknowledger: RecordingAcknowledger()
            )
            let batch = try #require(DeadLetterService.event(for: delivery))
            _ = try await Self.write([batch, batch], to: store)
            let job = try await TestDatabase.jobStatus(client, job: scenario.jobUUID)
            #expect(job.status == "error")
            #expect(job.reason == "shard 1: dead-lettered after 5 deliveries")
        }
    }

    @Test func eventsOfUnknownJobsAreStoredWithoutFolding() async throws {
        try await TestDatabase.with { client, _ in
            let store = PostgresEventStore(client: client, logger: TestDatabase.logger)
            let scenario = JobScenario(shards: [["a"]])
            let outcome = try await Self.write(scenario.allBatches(), to: store)
            #expect(outcome.jobStatuses.isEmpty)
            #expect(try await TestDatabase.count(client, job: scenario.jobUUID).events == outcome.inserted)
        }
    }
}
