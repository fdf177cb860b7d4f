import Foundation
import NIOConcurrencyHelpers
import Shared
import TestSupport
import Testing

@testable import Collector

/// Stops the PostgreSQL every suite shares for about two seconds. `make test` runs suites named
/// `…OutageTests` on their own, after the others (`--no-parallel`).
///
/// A write caught by the stop mid-statement (its transaction waiting on a job's row lock, say) used to wait
/// forever inside postgres-nio; the collector then never resumed and could not shut down. It now fails once its
/// connection has closed, and the batch is retried on a new one.
@Suite(.enabled(if: TestServices.available), .serialized)
struct CollectorDatabaseOutageTests {
    @Test func aPostgreSQLOutageDuringIngestionLosesNothing() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let scenarios = CollectorRestartTests.backlog(jobs: 2, hostsPerShard: 10, shards: 3, tasks: 5)
            for scenario in scenarios { try await TestDatabase.insertJob(scenario.jobUUID, client: box.client) }
            let batches = scenarios.flatMap { $0.allBatches() }
            let expected = batches.reduce(0) { $0 + $1.events.count }
            let half = batches.count / 2
            let configuration = try CollectorHarness.configuration(amqpURL: amqpURL, databaseURL: databaseURL, extra: ["collector.batch_size": "100"])
            try await CollectorHarness.withCollector(configuration: configuration) { collector in
                try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                    try await publisher.publish(batches[..<half].map(CollectorHarness.message))
                    _ = await TestServices.eventually(timeout: .seconds(120)) { ((try? await CollectorRestartTests.totalCount(box)) ?? 0) > 0 }
                    try await TestServices.runServicesScript(["stop-postgres"])
                    do {
                        // The rest arrives while the database is down; the collector holds it unacked.
                        try await publisher.publish(batches[half...].map(CollectorHarness.message))
                        try await Task.sleep(for: .seconds(2))
                    } catch {
                        try await TestServices.runServicesScript(["start-postgres"])
                        throw error
                    }
                    try await TestServices.runServicesScript(["start-postgres"])
                }
                let done = await TestServices.eventually(timeout: .seconds(120)) {
                    ((try? await CollectorRestartTests.totalCount(box)) ?? 0) >= expected
                }
                #expect(done)
                #expect(collector.metric("pansible_collector_events_stored_total") == expected)
            }
            #expect(try await CollectorRestartTests.totalCount(box) == expected)
            try await CollectorRestartTests.verifySummaries(scenarios, box)
        }
    }

    /// Live events come from the broker, so a subscriber's stream goes on while PostgreSQL is down, and the final
    /// message follows once the job is stored. (In a stop this short the session's status reads wait for the pool
    /// to reconnect.)
    @Test func aSubscriberKeepsItsStreamThroughAPostgreSQLRestart() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let scenario = JobScenario(shards: [["a", "b"], ["c"]], failingHosts: ["c"])
            try await TestDatabase.insertJob(scenario.jobUUID, client: box.client)
            let first = [scenario.split] + scenario.run(shard: 0)
            let second = scenario.run(shard: 1)
            let ids = Set((first + second).flatMap { $0.events.map(\.id) })
            let configuration = try CollectorHarness.configuration(amqpURL: amqpURL, databaseURL: databaseURL)
            let options = CollectorOptions(statusPollInterval: .milliseconds(200))
            try await CollectorHarness.withCollector(configuration: configuration, options: options) { collector in
                try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                    let received = NIOLockedValueBox<[String]?>(nil)
                    let subscriber = Task {
                        let messages = try await CollectorHarness.subscribe(port: collector.port, job: scenario.jobUUID)
                        received.withLockedValue { $0 = messages }
                    }
                    defer { subscriber.cancel() }
                    #expect(await TestServices.eventually(timeout: .seconds(60)) { collector.metric("pansible_collector_subscribers") == 1 })
                    try await Task.sleep(for: .milliseconds(300))
                    try await publisher.publish(first.map(CollectorHarness.message))
                    let firstCount = first.reduce(0) { $0 + $1.events.count }
                    #expect(
                        await TestServices.eventually(timeout: .seconds(120)) {
                            (try? await TestDatabase.count(box.client, job: scenario.jobUUID).events) == firstCount
                        })
                    try await TestServices.runServicesScript(["stop-postgres"])
                    do {
                        try await publisher.publish(second.map(CollectorHarness.message))
                        try await Task.sleep(for: .seconds(2))
                    } catch {
                        try await TestServices.runServicesScript(["start-postgres"])
                        throw error
                    }
                    try await TestServices.runServicesScript(["start-postgres"])
                    let finished = await TestServices.eventually(timeout: .seconds(120)) { received.withLockedValue { $0 != nil } }
                    #expect(finished, "the subscriber's stream did not end with the job")
                    if let messages = received.withLockedValue({ $0 }) {
                        ProgressTests.verify(messages, ids: ids, status: "failed", hosts: ["a", "b", "c"], who: "subscribed through the restart")
                    }
                }
            }
        }
    }
}
