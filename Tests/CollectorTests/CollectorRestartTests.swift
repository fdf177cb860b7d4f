import Foundation
import Shared
import TestSupport
import Testing

@testable import Collector

/// A collector killed mid-batch. Runs in `make test`'s second pass, alone (`…RestartTests`): it starts and kills
/// collector processes over a backlog of thousands of events.
@Suite(.enabled(if: TestServices.available), .serialized) struct CollectorRestartTests {
    /// A backlog of several jobs' events, in the worker's batch size.
    static func backlog(jobs: Int, hostsPerShard: Int, shards: Int, tasks: Int) -> [JobScenario] {
        (0..<jobs).map { _ in
            var scenario = JobScenario(shards: (0..<shards).map { shard in (0..<hostsPerShard).map { "host-\(shard)-\($0)" } })
            scenario.tasks = tasks
            scenario.eventsPerBatch = 100
            scenario.failingHosts = ["host-0-0"]
            return scenario
        }
    }

    static func totalCount(_ box: PostgresClientBox) async throws -> Int {
        let rows = try await box.client.query("SELECT count(*), count(DISTINCT (job_uuid, event_id)) FROM events", logger: TestDatabase.logger)
        for try await (count, distinct) in rows.decode((Int, Int).self) {
            #expect(count == distinct)
            return count
        }
        return 0
    }

    static func verifySummaries(_ scenarios: [JobScenario], _ box: PostgresClientBox) async throws {
        for scenario in scenarios {
            #expect(try await TestDatabase.jobStatus(box.client, job: scenario.jobUUID).status == "failed")
            let summaries = try await TestDatabase.summaries(box.client, job: scenario.jobUUID)
            for shard in scenario.shards.indices {
                for (host, stats) in scenario.stats(shard: shard) where summaries[host] != stats {
                    Issue.record("job \(scenario.jobUUID) host \(host): \(String(describing: summaries[host])) != \(stats)")
                }
            }
        }
    }

    @Test func aCollectorKilledMidBatchLosesAndDuplicatesNothing() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            // Large enough that a collector storing thousands of events a second is still busy when it is killed.
            let scenarios = Self.backlog(jobs: 4, hostsPerShard: 40, shards: 5, tasks: 10)
            for scenario in scenarios { try await TestDatabase.insertJob(scenario.jobUUID, client: box.client) }
            let batches = scenarios.flatMap { $0.allBatches() }
            let expected = batches.reduce(0) { $0 + $1.events.count }
            try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                for start in stride(from: 0, to: batches.count, by: 200) {
                    try await publisher.publish(batches[start..<min(start + 200, batches.count)].map(CollectorHarness.message))
                }
            }
            let logs = FileManager.default.temporaryDirectory.appendingPathComponent("collector-kill-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            let environment = [
                "PANSIBLE_AMQP_URL": amqpURL, "PANSIBLE_DATABASE_URL": databaseURL.absoluteString, "PANSIBLE_WS_PORT": "127.0.0.1:0",
                "PANSIBLE_COLLECTOR_BATCH_SIZE": "50", "PANSIBLE_LOG_LEVEL": "warning",
            ]
            var kills = 0
            // Kill it twice while it works through the backlog, then let a third run finish.
            for round in 0..<2 {
                let before = try await Self.totalCount(box)
                let process = try await ServiceProcess(
                    binary: "pansible-collector", environment: environment, logDirectory: logs, name: "collector-\(round)")
                _ = await TestServices.eventually(timeout: .seconds(60)) { ((try? await Self.totalCount(box)) ?? 0) > before }
                await process.stop(signal: SIGKILL)
                if try await Self.totalCount(box) < expected { kills += 1 }
            }
            #expect(kills > 0, "the backlog of \(expected) events was stored before any kill")
            let last = try await ServiceProcess(binary: "pansible-collector", environment: environment, logDirectory: logs, name: "collector-last")
            let done = await TestServices.eventually(timeout: .seconds(120)) { ((try? await Self.totalCount(box)) ?? 0) >= expected }
            await last.stop()
            #expect(done, "\(last.log())")
            #expect(try await Self.totalCount(box) == expected)
            try await Self.verifySummaries(scenarios, box)
        }
    }
}
