import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Collector

@Suite(.enabled(if: TestServices.available)) struct IngestionTests {
    @Test func duplicatedShuffledDeliveriesAreStoredOnceAndPoisonIsDeadLettered() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let client = box.client
            let scenario = JobScenario(shards: [["a", "b"], ["c"], ["d"]], failingHosts: ["d"])
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            let batches = scenario.allBatches()
            let expected = batches.reduce(0) { $0 + $1.events.count }
            var generator = SeededGenerator(seed: 11)
            let deliveries = (batches + batches.shuffled(using: &generator)).shuffled(using: &generator)
            let configuration = try CollectorHarness.configuration(amqpURL: amqpURL, databaseURL: databaseURL, extra: ["collector.batch_size": "25"])
            try await CollectorHarness.withCollector(configuration: configuration) { collector in
                try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                    try await publisher.publish(deliveries.map(CollectorHarness.message))
                    try await publisher.publish(
                        OutgoingMessage(
                            exchange: Topology.eventsExchange, routingKey: "job.\(scenario.jobUUID.uuidString.lowercased()).worker",
                            body: Array("{not json".utf8), messageID: "poison"
                        )
                    )
                }
                let stored = await TestServices.eventually(timeout: .seconds(60)) {
                    let status = try? await TestDatabase.jobStatus(client, job: scenario.jobUUID).status
                    let count = try? await TestDatabase.count(client, job: scenario.jobUUID).events
                    return status == "failed" && count == expected && collector.metric("pansible_collector_dead_letters_total") == 1
                        && collector.metric("pansible_collector_events_duplicate_total") == expected
                }
                #expect(stored)
                #expect(collector.metric("pansible_collector_poison_messages_total") == 1)
                #expect(collector.metric("pansible_collector_events_stored_total") == expected)
                #expect(collector.metric("pansible_collector_events_duplicate_total") == expected)
            }
            let counts = try await TestDatabase.count(client, job: scenario.jobUUID)
            #expect(counts.events == expected)
            #expect(counts.distinct == expected)
            let summaries = try await TestDatabase.summaries(client, job: scenario.jobUUID)
            for shard in scenario.shards.indices {
                for (host, stats) in scenario.stats(shard: shard) {
                    #expect(summaries[host] == stats, "host \(host)")
                }
            }
        }
    }

    @Test func aDeadLetteredShardMessageFinishesTheJobAsError() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let client = box.client
            let scenario = JobScenario(shards: [["a"], ["b"]])
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            let shard = ShardMessage(
                jobUUID: scenario.jobUUID, jobID: 1, index: 1, count: 2, pool: "default",
                playbook: PlaybookSpec(id: 1, name: "p", gitRepo: "/tmp/r", entry: "site.yml"), inventory: .object([:]), hosts: ["b"],
                options: JobOptions(), credential: nil
            )
            let configuration = try CollectorHarness.configuration(amqpURL: amqpURL, databaseURL: databaseURL)
            try await CollectorHarness.withCollector(configuration: configuration) { _ in
                try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                    try await publisher.publish(([scenario.split] + scenario.run(shard: 0)).map(CollectorHarness.message))
                    // What the broker does with a shard message past its delivery limit.
                    try await publisher.publish(
                        OutgoingMessage(
                            exchange: Topology.deadLetterExchange, routingKey: "default", body: try MessageCoding.encode(shard),
                            messageID: shard.messageID)
                    )
                }
                let finished = await TestServices.eventually(timeout: .seconds(60)) {
                    (try? await TestDatabase.jobStatus(client, job: scenario.jobUUID).status) == "error"
                }
                #expect(finished)
            }
            let job = try await TestDatabase.jobStatus(client, job: scenario.jobUUID)
            #expect(job.reason?.hasPrefix("shard 1: dead-lettered after") == true)
            #expect(try await TestDatabase.shards(client, job: scenario.jobUUID).map(\.status) == ["successful", "error"])
        }
    }
}
