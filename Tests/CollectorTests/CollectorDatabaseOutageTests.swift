import Foundation
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
                    _ = await TestServices.eventually(timeout: .seconds(30)) { ((try? await CollectorRestartTests.totalCount(box)) ?? 0) > 0 }
                    try await ServicesScript.run(["stop-postgres"])
                    do {
                        // The rest arrives while the database is down; the collector holds it unacked.
                        try await publisher.publish(batches[half...].map(CollectorHarness.message))
                        try await Task.sleep(for: .seconds(2))
                    } catch {
                        try await ServicesScript.run(["start-postgres"])
                        throw error
                    }
                    try await ServicesScript.run(["start-postgres"])
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
}
