import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Collector

/// Dead-lettered messages and events the database refuses are kept, counted and reported on their job.
@Suite(.enabled(if: TestServices.available)) struct DeadLetterTests {
    static func deadLetters(_ client: PostgresClient, job: UUID) async throws -> [(eventID: String?, reason: String)] {
        let rows = try await client.query(
            "SELECT event_id, reason FROM dead_letters WHERE job_uuid = \(job) ORDER BY id", logger: TestDatabase.logger)
        var result: [(String?, String)] = []
        for try await row in rows.decode((String?, String).self) { result.append(row) }
        return result
    }

    static func shardReasons(_ client: PostgresClient, job: UUID) async throws -> [String?] {
        let rows = try await client.query(
            "SELECT reason FROM shards WHERE job_uuid = \(job) ORDER BY shard_index", logger: TestDatabase.logger)
        var reasons: [String?] = []
        for try await reason in rows.decode(String?.self) { reasons.append(reason) }
        return reasons
    }

    /// A host name too long for the `events_job_host` btree entry (SQLSTATE 54000): random, so it does not compress.
    static func oversizedHost() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SeededGenerator(seed: 7)
        return String((0..<6000).map { _ in letters[Int.random(in: 0..<letters.count, using: &generator)] })
    }

    static func deadLetterMessage(_ batch: EventBatch) throws -> OutgoingMessage {
        OutgoingMessage(
            exchange: Topology.deadLetterExchange, routingKey: batch.routingKey, body: try MessageCoding.encode(batch), messageID: batch.messageID)
    }

    @Test func aDeadLetteredBatchHoldingShardFinishedIsStoredAndTheJobEnds() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let client = box.client
            let scenario = JobScenario(shards: [["a"], ["b"]])
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            let second = scenario.run(shard: 1)
            let lost = try #require(second.last)
            #expect(lost.events.contains { $0.type == PipelineEventType.shardFinished })
            let expected = ([scenario.split] + scenario.run(shard: 0) + second).reduce(0) { $0 + $1.events.count }
            let configuration = try CollectorHarness.configuration(amqpURL: amqpURL, databaseURL: databaseURL)
            try await CollectorHarness.withCollector(configuration: configuration) { _ in
                try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                    let delivered = [scenario.split] + scenario.run(shard: 0) + second.dropLast()
                    try await publisher.publish(delivered.map(CollectorHarness.message))
                    // What the broker does with an event message past its delivery limit.
                    try await publisher.publish(Self.deadLetterMessage(lost))
                    // A message that is no pipeline message at all, naming the job in its routing key.
                    try await publisher.publish(
                        OutgoingMessage(
                            exchange: Topology.deadLetterExchange, routingKey: "job.\(scenario.jobUUID.uuidString.lowercased()).worker",
                            body: Array("{not json".utf8), messageID: "garbage-1")
                    )
                }
                let finished = await TestServices.eventually(timeout: .seconds(240)) {
                    let status = try? await TestDatabase.jobStatus(client, job: scenario.jobUUID).status
                    let kept = (try? await Self.deadLetters(client, job: scenario.jobUUID).count) ?? 0
                    return status == "successful" && kept == 2
                }
                #expect(finished, "the job should finish from the dead-lettered batch's shard_finished")
            }
            #expect(try await TestDatabase.count(client, job: scenario.jobUUID).events == expected)
            let kept = try await Self.deadLetters(client, job: scenario.jobUUID)
            #expect(kept.allSatisfy { $0.eventID == nil && $0.reason.hasPrefix("dead-lettered after") })
            #expect(try await TestDatabase.shards(client, job: scenario.jobUUID).map(\.status) == ["successful", "successful"])
        }
    }

    @Test func aDeadLetteredShardFinishedTheDatabaseRefusesEndsTheJobAsError() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let client = box.client
            let scenario = JobScenario(shards: [["a"], ["b"]])
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            let runID = UUID()
            var batches = scenario.run(shard: 1, runID: runID)
            // A recap for a host whose name no index entry can hold: the fold cannot store it, so the shard's end is lost.
            var refused = batches.removeLast()
            let index = try #require(refused.events.firstIndex { $0.type == PipelineEventType.shardFinished })
            refused.events[index].data = ShardFinishedData(rc: 0, stats: [Self.oversizedHost(): HostStats(ok: 1)]).json
            let second = batches
            let last = refused
            let configuration = try CollectorHarness.configuration(amqpURL: amqpURL, databaseURL: databaseURL)
            try await CollectorHarness.withCollector(configuration: configuration) { _ in
                try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                    try await publisher.publish(([scenario.split] + scenario.run(shard: 0) + second).map(CollectorHarness.message))
                    try await publisher.publish(Self.deadLetterMessage(last))
                }
                let ended = await TestServices.eventually(timeout: .seconds(240)) {
                    (try? await TestDatabase.jobStatus(client, job: scenario.jobUUID).status) == "error"
                }
                #expect(ended, "the job should end as error when its shard can no longer report")
            }
            let job = try await TestDatabase.jobStatus(client, job: scenario.jobUUID)
            #expect(job.reason == "shard 1: events lost: dead-lettered")
            let kept = try await Self.deadLetters(client, job: scenario.jobUUID)
            #expect(kept.count == 2)
            #expect(kept.contains { $0.eventID == "shard/1/run/\(runID)/finished" && $0.reason.hasPrefix("refused by the database: 54000") })
            // The rest of the lost batch went in.
            let stored = try await TestDatabase.count(client, job: scenario.jobUUID).events
            let sent = ([scenario.split] + scenario.run(shard: 0) + second + [last]).reduce(0) { $0 + $1.events.count }
            #expect(stored == sent - 1 + 1, "every event but the refused one, plus the loss report")
        }
    }

    @Test func aBatchWithAnEventTheDatabaseRefusesIsStoredAroundItAndIngestionGoesOn() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let client = box.client
            let scenario = JobScenario(shards: [["a", "b"]], eventsPerBatch: 100)
            let other = JobScenario(shards: [["c"]])
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            try await TestDatabase.insertJob(other.jobUUID, client: client)
            var batches = scenario.run(shard: 0)
            #expect(batches.count == 1)
            let bad = try #require(batches[0].events.firstIndex { $0.type == "runner_on_ok" && $0.host == "b" })
            let badID = batches[0].events[bad].id
            batches[0].events[bad].host = Self.oversizedHost()
            let run = batches
            let sent = ([scenario.split] + run).reduce(0) { $0 + $1.events.count }
            // One writer: a stalled batch would stall every job.
            let configuration = try CollectorHarness.configuration(
                amqpURL: amqpURL, databaseURL: databaseURL, extra: ["collector.writers": "1", "collector.batch_size": "500"])
            try await CollectorHarness.withCollector(configuration: configuration) { collector in
                try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                    try await publisher.publish(([scenario.split] + run).map(CollectorHarness.message))
                    try await publisher.publish(other.allBatches().map(CollectorHarness.message))
                }
                // Bounded by what a loaded machine needs, not by what this test measures.
                let ended = await TestServices.eventually(timeout: .seconds(240)) {
                    let first = try? await TestDatabase.jobStatus(client, job: scenario.jobUUID).status
                    let second = try? await TestDatabase.jobStatus(client, job: other.jobUUID).status
                    return first == "successful" && second == "successful"
                }
                #expect(ended, "both jobs should end although one batch holds an event the database refuses")
                #expect(collector.metric("pansible_collector_events_isolated_total") == 1)
            }
            #expect(try await TestDatabase.count(client, job: scenario.jobUUID).events == sent - 1 + 1)
            #expect(try await Self.shardReasons(client, job: scenario.jobUUID) == ["events lost: dead-lettered"])
            let kept = try await Self.deadLetters(client, job: scenario.jobUUID)
            #expect(kept.map(\.eventID) == [badID])
            #expect(kept.first?.reason.hasPrefix("refused by the database: 54000") == true)
            #expect(try await Self.deadLetters(client, job: other.jobUUID).isEmpty)
            let expectedOther = other.allBatches().reduce(0) { $0 + $1.events.count }
            #expect(try await TestDatabase.count(client, job: other.jobUUID).events == expectedOther)
        }
    }
}
