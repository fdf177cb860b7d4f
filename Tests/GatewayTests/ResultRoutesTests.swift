import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Gateway

/// Reads of what the collector stores, from rows written the way the collector writes them.
@Suite(.enabled(if: TestServices.available))
struct ResultRoutesTests {
    /// A job with two shards: shard 0 (hosts a, b) ran twice (run 1 failed host a, run 2 is current and failed
    /// host a again), shard 1 (hosts c, d) ran once; d has no summary yet.
    struct StoredJob {
        var uuid: UUID
        var oldRun = UUID()
        var currentRun = UUID()
        var otherRun = UUID()
    }

    static func store(client: any TestClientProtocol, postgres: PostgresClient) async throws -> StoredJob {
        let fixtures = Fixtures(client: client)
        let job = try await fixtures.job(playbook: try await fixtures.playbook(), inventory: try await fixtures.inventory())
        var stored = StoredJob(uuid: try #require(job.json["uuid"]?.stringValue.flatMap(UUID.init(uuidString:))))
        let uuid = stored.uuid
        let (old, current, other) = (stored.oldRun, stored.currentRun, stored.otherRun)
        try await postgres.query(
            """
            INSERT INTO shards (job_uuid, shard_index, hosts, status, attempts, current_run_id, current_attempt) VALUES
            (\(uuid), 0, ARRAY['a', 'b'], 'failed', 2, \(current), 2), (\(uuid), 1, ARRAY['c', 'd'], 'running', 1, \(other), 1)
            """
        )
        func event(_ id: String, _ type: String, shard: Int, run: UUID, counter: Int, host: String?, failed: Bool, payload: JSONValue) async throws {
            let text = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
            try await postgres.query(
                """
                INSERT INTO events (job_uuid, event_id, type, shard_index, run_id, attempt, counter, host, failed, created_at, payload)
                VALUES (\(uuid), \(id), \(type), \(shard), \(run), 1, \(counter), \(host), \(failed), now(), \(text)::jsonb)
                """
            )
        }
        try await event(
            "o1", "runner_on_failed", shard: 0, run: old, counter: 1, host: "a", failed: true,
            payload: ["result": ["msg": "old failure"], "stdout": "old run\n"])
        // Arrival order differs from counter order: the log follows counters.
        try await event(
            "c2", "runner_on_failed", shard: 0, run: current, counter: 2, host: "a", failed: true,
            payload: ["result": ["msg": "boom"], "stdout": "fatal: [a]\n"])
        try await event(
            "c1", "playbook_on_task_start", shard: 0, run: current, counter: 1, host: nil, failed: false, payload: ["stdout": "TASK [x]\n"])
        try await event(
            "c3", "runner_on_ok", shard: 0, run: current, counter: 3, host: "b", failed: false,
            payload: ["result": ["changed": false], "stdout": "ok: [b]\n"])
        try await event("d1", "runner_on_ok", shard: 1, run: other, counter: 1, host: "c", failed: false, payload: ["stdout": "ok: [c]\n"])
        try await postgres.query(
            """
            INSERT INTO host_summaries (job_uuid, host, shard_index, run_id, attempt, ok, changed, failures, unreachable, skipped, rescued, ignored, job_start_time)
            VALUES (\(uuid), 'a', 0, \(current), 2, 1, 0, 1, 0, 0, 0, 0, '2018-01-30T03:33:45Z'),
                   (\(uuid), 'b', 0, \(current), 2, 2, 1, 0, 0, 1, 0, 0, '2018-01-30T03:33:45Z'),
                   (\(uuid), 'c', 1, \(other), 1, 0, 0, 0, 1, 0, 0, 0, '2018-01-30T03:33:45Z')
            """
        )
        stored.uuid = uuid
        return stored
    }

    @Test func resultsHaveTheSeedsShapeFromTheCurrentRunOnly() async throws {
        try await GatewayTestApp.withApp { client, postgres in
            let job = try await Self.store(client: client, postgres: postgres)
            let response = try await client.api("/api/v1/job/result/\(job.uuid.uuidString.lowercased())", method: .get)
            #expect(response.status == .ok)
            let result = try response.json()
            #expect(Set(result.objectValue?.keys ?? [:].keys) == ["a", "b", "c", "d"])

            var summaryIDs: [String: Int64] = [:]
            for try await (host, id) in try await postgres.query("SELECT host, id FROM host_summaries WHERE job_uuid = \(job.uuid)").decode(
                (String, Int64).self)
            {
                summaryIDs[host] = id
            }
            let failedSeq = try await postgres.query("SELECT seq FROM events WHERE event_id = 'c2'").decode(Int64.self).first { _ in true }

            let failures = try #require(result["a", "failures"]?.arrayValue)
            #expect(failures.count == 1)
            #expect(failures[0]["id"] == .from(failedSeq))
            #expect(failures[0]["result"] == ["msg": "boom"])
            #expect(failures[0]["stats_id"] == .from(summaryIDs["a"]))
            let stats = try #require(result["a", "stats"])
            #expect(stats["failed"] == 1)
            #expect(stats["id"] == .from(summaryIDs["a"]))
            #expect(stats["job_start_time"] == "2018-01-30T03:33:45Z")
            #expect(stats["run_id"] == .from(job.currentRun))
            #expect(stats["target"] == "a")
            #expect(stats["unreachable"] == false)
            #expect(
                Set(stats.objectValue?.keys ?? [:].keys) == [
                    "failed", "id", "job_start_time", "run_id", "target", "unreachable", "ok", "changed", "skipped", "rescued", "ignored",
                ])

            #expect(result["b", "failures"] == .null)
            #expect(result["b", "stats", "ok"] == 2)
            #expect(result["b", "stats", "changed"] == 1)
            #expect(result["b", "stats", "skipped"] == 1)
            #expect(result["c", "stats", "unreachable"] == true)
            // A host of the job without a summary yet.
            #expect(result["d", "stats"] == .null)
            #expect(result["d", "failures"] == .null)
        }
    }

    @Test func eventsArePagedAndFiltered() async throws {
        try await GatewayTestApp.withApp { client, postgres in
            let job = try await Self.store(client: client, postgres: postgres)
            let base = "/api/v1/job/\(job.uuid.uuidString.lowercased())/events"
            var ids: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await client.api(base + "?limit=2" + (cursor.map { "&after=\($0)" } ?? ""), method: .get).json()
                ids += page["events"]?.arrayValue?.compactMap { $0["stdout"]?.stringValue } ?? []
                cursor = page["next"]?.stringValue
                pages += 1
            } while cursor != nil && pages < 10
            #expect(ids == ["old run\n", "fatal: [a]\n", "TASK [x]\n", "ok: [b]\n", "ok: [c]\n"])

            let failed = try await client.api(base + "?failed=true", method: .get).json()
            #expect(failed["events"]?.arrayValue?.count == 2)
            let hostB = try await client.api(base + "?host=b", method: .get).json()
            #expect(hostB["events"]?.arrayValue?.compactMap { $0["stdout"]?.stringValue } == ["ok: [b]\n"])
            let shard1 = try await client.api(base + "?shard=1&type=runner_on_ok", method: .get).json()
            #expect(shard1["events"]?.arrayValue?.compactMap { $0["stdout"]?.stringValue } == ["ok: [c]\n"])
            #expect(try await client.api(base + "?failed=maybe", method: .get).status == .badRequest)
        }
    }

    @Test func stdoutMergesTheShardsCurrentRuns() async throws {
        try await GatewayTestApp.withApp { client, postgres in
            let job = try await Self.store(client: client, postgres: postgres)
            // Shard 1 printed the same task header before its host line.
            let payload = #"{"stdout": "TASK [x]\n"}"#
            try await postgres.query(
                """
                INSERT INTO events (job_uuid, event_id, type, shard_index, run_id, attempt, counter, host, failed, created_at, payload)
                SELECT job_uuid, 'd0', 'playbook_on_task_start', 1, current_run_id, 1, 0, NULL, false, now(), \(payload)::jsonb
                FROM shards WHERE job_uuid = \(job.uuid) AND shard_index = 1
                """
            )
            let base = "/api/v1/job/\(job.uuid.uuidString.lowercased())/stdout"
            let response = try await client.api(base, method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            // The header once, the host lines of both shards' current runs beneath it.
            #expect(response.text == "TASK [x]\nfatal: [a]\nok: [b]\nok: [c]\n")
            #expect(try await client.api(base + "?shard=1", method: .get).text == "TASK [x]\nok: [c]\n")
            #expect(try await client.api(base + "?shard=0", method: .get).text == "TASK [x]\nfatal: [a]\nok: [b]\n")
        }
    }
}
