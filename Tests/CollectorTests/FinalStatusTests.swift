import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Collector

/// A job's final status never changes, and the fold writes what the split pinned.
@Suite(.enabled(if: TestServices.available)) struct FinalStatusTests {
    static func commit(_ client: PostgresClient, job: UUID) async throws -> String? {
        let rows = try await client.query("SELECT playbook_commit FROM jobs WHERE uuid = \(job)", logger: TestDatabase.logger)
        for try await commit in rows.decode(String?.self) { return commit }
        return nil
    }

    /// A shard's run ends with `shard_canceled` (its job was canceled), as the worker reports it.
    static func canceledRun(_ scenario: JobScenario, shard: Int, runID: UUID) -> EventBatch {
        EventBatch(
            jobUUID: scenario.jobUUID, source: "worker", shardIndex: shard, runID: runID, attempt: 1, workerID: "w1",
            events: [
                PansibleEvent(id: "shard/\(shard)/run/\(runID)/started", type: PipelineEventType.shardStarted, counter: 1),
                PansibleEvent(
                    id: "shard/\(shard)/run/\(runID)/canceled", type: PipelineEventType.shardCanceled, counter: 2,
                    data: .object(["reason": .string("canceled by request")])),
            ]
        )
    }

    @Test func aCanceledJobStaysCanceledWhenALateShardFinishedArrives() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let client = box.client
            let scenario = JobScenario(shards: [["a"], ["b"]], commit: "0123456789abcdef0123456789abcdef01234567")
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            let configuration = try CollectorHarness.configuration(amqpURL: amqpURL, databaseURL: databaseURL)
            try await CollectorHarness.withCollector(configuration: configuration) { _ in
                try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                    let first = [scenario.split] + scenario.run(shard: 0) + [Self.canceledRun(scenario, shard: 1, runID: UUID())]
                    try await publisher.publish(first.map(CollectorHarness.message))
                }
                let canceled = await TestServices.eventually(timeout: .seconds(60)) {
                    (try? await TestDatabase.jobStatus(client, job: scenario.jobUUID).status) == "canceled"
                }
                #expect(canceled)
                let before = try await Self.finishedAt(client, job: scenario.jobUUID)
                // A later attempt of the canceled shard still finishes and reports.
                let late = scenario.run(shard: 1, attempt: 2)
                try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                    try await publisher.publish(late.map(CollectorHarness.message))
                }
                let expected = ([scenario.split] + scenario.run(shard: 0) + late).reduce(0) { $0 + $1.events.count } + 2
                let stored = await TestServices.eventually(timeout: .seconds(60)) {
                    let shards = try? await TestDatabase.shards(client, job: scenario.jobUUID).map(\.status)
                    let count = try? await TestDatabase.count(client, job: scenario.jobUUID).events
                    return shards == ["successful", "successful"] && count == expected
                }
                #expect(stored, "the late run is stored and folded into its shard")
                let job = try await TestDatabase.jobStatus(client, job: scenario.jobUUID)
                #expect(job.status == "canceled")
                #expect(try await Self.finishedAt(client, job: scenario.jobUUID) == before)
                // The late recap is still shown.
                #expect(try await TestDatabase.summaries(client, job: scenario.jobUUID)["b"] == scenario.stats(shard: 1)["b"])
            }
            #expect(try await Self.commit(client, job: scenario.jobUUID) == scenario.commit)
        }
    }

    @Test func aFinishedJobShowsThePlaybookCommitOfItsSplit() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let client = box.client
            let scenario = JobScenario(shards: [["a"]], commit: "fedcba9876543210fedcba9876543210fedcba98")
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            let configuration = try CollectorHarness.configuration(amqpURL: amqpURL, databaseURL: databaseURL)
            try await CollectorHarness.withCollector(configuration: configuration) { _ in
                try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                    try await publisher.publish(scenario.allBatches().map(CollectorHarness.message))
                }
                #expect(
                    await TestServices.eventually(timeout: .seconds(60)) {
                        (try? await TestDatabase.jobStatus(client, job: scenario.jobUUID).status) == "successful"
                    })
            }
            #expect(try await Self.commit(client, job: scenario.jobUUID) == scenario.commit)
        }
    }

    static func finishedAt(_ client: PostgresClient, job: UUID) async throws -> Date? {
        let rows = try await client.query("SELECT finished_at FROM jobs WHERE uuid = \(job)", logger: TestDatabase.logger)
        for try await date in rows.decode(Date?.self) { return date }
        return nil
    }
}
