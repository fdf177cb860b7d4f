import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Gateway

/// On PostgreSQL, where the test services are; tests that need no database also run on the in-memory repositories.
struct JobRoutesTests {
    @Test(.enabled(if: TestServices.available)) func optionsTravelInTheJobMessage() async throws {
        let publisher = RecordingPublisher()
        try await GatewayTestApp.withApp(publisher: publisher) { client, postgres in
            let fixtures = Fixtures(client: client)
            let job = try await fixtures.job(
                playbook: try await fixtures.playbook(), inventory: try await fixtures.inventory(),
                extra: [
                    "limit": "web*", "extra_vars": ["a": 1, "b": ["c": "d"]], "tags": "one, two", "skip_tags": ["three"], "check": true,
                    "diff": false, "verbosity": 3, "forks": 10, "shard_size": 25, "timeout": 600, "pool": "edge", "mitogen": false,
                ]
            )
            #expect(job.status == .created)
            let message = try #require(await publisher.waitForCount(1).first)
            let decoded = try MessageCoding.decode(JobMessage.self, from: message.body)
            let options = decoded.options
            #expect(options.limit == "web*")
            #expect(options.extraVars == ["a": .int(1), "b": ["c": "d"]])
            #expect(options.tags == ["one", "two"])
            #expect(options.skipTags == ["three"])
            #expect(options.check == true)
            #expect(options.diff == false)
            #expect(options.verbosity == 3)
            #expect(options.forks == 10)
            #expect(options.shardSize == 25)
            #expect(options.shards == nil)
            #expect(options.timeout == 600)
            #expect(options.pool == "edge")
            #expect(options.mitogen == false)
            // The row is marked published once the broker confirmed it.
            let marked = try await TestServices.eventually(timeout: .seconds(10)) {
                try await postgres.query("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL").decode(Int64.self).first { _ in true } == 1
            }
            #expect(marked)
        }
    }

    @Test(.enabled(if: TestServices.available)) func anIdempotencyKeyReturnsTheFirstJob() async throws {
        let publisher = RecordingPublisher()
        try await GatewayTestApp.withApp(publisher: publisher) { client, postgres in
            let fixtures = Fixtures(client: client)
            let playbook = try await fixtures.playbook()
            let inventory = try await fixtures.inventory()
            let key: HTTPFields = [.idempotencyKey: "launch-42"]
            let first = try await fixtures.job(playbook: playbook, inventory: inventory, extra: ["forks": 5], headers: key)
            let second = try await fixtures.job(playbook: playbook, inventory: inventory, extra: ["forks": 5], headers: key)
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(second.json["uuid"] == first.json["uuid"])
            #expect(second.json["id"] == first.json["id"])
            #expect(second.headers[.idempotentReplayed] == "true")
            #expect(first.headers[.idempotentReplayed] == nil)

            let different = try await fixtures.job(playbook: playbook, inventory: inventory, extra: ["forks": 6], headers: key)
            #expect(different.status == .unprocessableContent)
            #expect(different.json["error", "code"] == "idempotency_key_reused")

            let other = try await fixtures.job(playbook: playbook, inventory: inventory, headers: [.idempotencyKey: "launch-43"])
            #expect(other.json["uuid"] != first.json["uuid"])
            let counts = try await postgres.query("SELECT (SELECT count(*) FROM jobs), (SELECT count(*) FROM outbox)").decode((Int64, Int64).self)
                .first { _ in true }
            #expect(counts?.0 == 2)
            #expect(counts?.1 == 2)
            #expect(await publisher.waitForCount(2).count == 2)
        }
    }

    @Test(.enabled(if: TestServices.available)) func concurrentLaunchesWithOneKeyMakeOneJob() async throws {
        try await GatewayTestApp.withApp { client, postgres in
            let fixtures = Fixtures(client: client)
            let playbook = try await fixtures.playbook()
            let inventory = try await fixtures.inventory()
            let uuids = try await withThrowingTaskGroup(of: JSONValue?.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await fixtures.job(playbook: playbook, inventory: inventory, headers: [.idempotencyKey: "same"]).json["uuid"]
                    }
                }
                var all: Set<JSONValue?> = []
                for try await uuid in group { all.insert(uuid) }
                return all
            }
            #expect(uuids.count == 1)
            let jobs = try await postgres.query("SELECT count(*) FROM jobs").decode(Int64.self).first { _ in true }
            #expect(jobs == 1)
        }
    }

    @Test(arguments: GatewayTestBackend.available)
    func theEnvMustMatchTheInventory(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            let fixtures = Fixtures(client: client)
            let job = try await fixtures.job(
                playbook: try await fixtures.playbook(), inventory: try await fixtures.inventory(env: "prod"), env: "alpha")
            #expect(job.status == .badRequest)
            #expect(job.json["error", "code"] == "env_mismatch")
            #expect(job.json["error", "field"] == "env")
        }
    }

    @Test(.enabled(if: TestServices.available)) func jobsAreShownAndListedWithFiltersAndPages() async throws {
        try await GatewayTestApp.withApp { client, postgres in
            let fixtures = Fixtures(client: client)
            let playbook = try await fixtures.playbook()
            let alpha = try await fixtures.inventory(env: "alpha")
            let beta = try await fixtures.inventory(name: "b", env: "beta")
            var launched: [String] = []
            for index in 0..<5 {
                let job = try await fixtures.job(playbook: playbook, inventory: index < 3 ? alpha : beta, env: index < 3 ? "alpha" : "beta")
                launched.append(try #require(job.json["uuid"]?.stringValue))
            }
            let running = try #require(UUID(uuidString: launched[0]))
            try await postgres.query(
                "UPDATE jobs SET status = 'running', started_at = now(), shard_count = 2, host_count = 3 WHERE uuid = \(running)"
            )
            try await postgres.query(
                """
                INSERT INTO shards (job_uuid, shard_index, hosts, status, attempts) VALUES
                (\(running), 0, ARRAY['a', 'b'], 'successful', 1), (\(running), 1, ARRAY['c'], 'running', 2)
                """
            )
            try await postgres.query(
                """
                INSERT INTO host_summaries (job_uuid, host, shard_index, run_id, attempt, ok, failures, unreachable, changed) VALUES
                (\(running), 'a', 0, \(UUID()), 1, 3, 0, 0, 1), (\(running), 'b', 0, \(UUID()), 1, 1, 1, 0, 0)
                """
            )
            let shown = try await client.api("/api/v1/job/\(launched[0])", method: .get).json()
            #expect(shown["status"] == "running")
            #expect(shown["shard_count"] == 2)
            #expect(shown["host_count"] == 3)
            #expect(shown["started_at"]?.stringValue != nil)
            #expect(shown["shards"]?.arrayValue?.map { $0["status"] } == ["successful", "running"])
            #expect(shown["shards"]?.arrayValue?.map { $0["host_count"] } == [2, 1])
            #expect(shown["hosts", "summarized"] == 2)
            #expect(shown["hosts", "failed"] == 1)
            #expect(shown["hosts", "ok"] == 1)

            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await client.api("/api/v1/jobs?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), method: .get).json()
                seen += page["jobs"]?.arrayValue?.compactMap { $0["uuid"]?.stringValue } ?? []
                cursor = page["next"]?.stringValue
            } while cursor != nil
            #expect(seen == launched.reversed())

            let betaJobs = try await client.api("/api/v1/jobs?env=beta", method: .get).json()
            #expect(betaJobs["jobs"]?.arrayValue?.compactMap { $0["uuid"]?.stringValue } == [launched[4], launched[3]])
            let runningJobs = try await client.api("/api/v1/jobs?status=running", method: .get).json()
            #expect(runningJobs["jobs"]?.arrayValue?.compactMap { $0["uuid"]?.stringValue } == [launched[0]])
        }
    }

    @Test(.enabled(if: TestServices.available)) func cancelingAJobWhoseMessageWasNotSentRemovesTheMessage() async throws {
        // The broker is down: the message stays in the outbox.
        let publisher = RecordingPublisher(failing: true)
        try await GatewayTestApp.withApp(publisher: publisher) { client, postgres in
            let fixtures = Fixtures(client: client)
            let job = try await fixtures.job(playbook: try await fixtures.playbook(), inventory: try await fixtures.inventory())
            let uuid = try #require(job.json["uuid"]?.stringValue)
            let canceled = try await client.api("/api/v1/job/\(uuid)/cancel", method: .post)
            #expect(canceled.status == .accepted)
            #expect(try canceled.json()["status"] == "canceled")
            #expect(try canceled.json()["status_reason"] == "canceled before it was sent")
            let outbox = try await postgres.query("SELECT count(*) FROM outbox").decode(Int64.self).first { _ in true }
            #expect(outbox == 0)
            await publisher.setFailing(false)
            let again = try await client.api("/api/v1/job/\(uuid)/cancel", method: .post)
            #expect(again.status == .conflict)
            #expect(try again.json()["error", "code"] == "job_finished")
            #expect(await publisher.published.isEmpty)
        }
    }

    @Test(.enabled(if: TestServices.available)) func cancelingASentJobPublishesAControlMessage() async throws {
        let publisher = RecordingPublisher()
        try await GatewayTestApp.withApp(publisher: publisher) { client, postgres in
            let fixtures = Fixtures(client: client)
            let playbook = try await fixtures.playbook()
            let inventory = try await fixtures.inventory()
            let pending = try #require(try await fixtures.job(playbook: playbook, inventory: inventory).json["uuid"]?.stringValue)
            let split = try #require(try await fixtures.job(playbook: playbook, inventory: inventory).json["uuid"]?.stringValue)
            _ = await publisher.waitForCount(2)
            let splitUUID = try #require(UUID(uuidString: split))
            try await postgres.query("UPDATE jobs SET status = 'running', shard_count = 1 WHERE uuid = \(splitUUID)")
            try await postgres.query(
                "INSERT INTO shards (job_uuid, shard_index, hosts, status) VALUES (\(splitUUID), 0, ARRAY['web1'], 'running')")

            // Sent but never split: canceled at once, and workers are told to drop its shards.
            let first = try await client.api("/api/v1/job/\(pending)/cancel", method: .post).json()
            #expect(first["status"] == "canceled")
            #expect(first["status_reason"] == "canceled before it was split")
            // A shard running: the cancel is requested; the collector finishes it when the shards report.
            let second = try await client.api("/api/v1/job/\(split)/cancel", method: .post).json()
            #expect(second["status"] == "running")
            #expect(second["cancel_requested_at"]?.stringValue != nil)
            _ = await publisher.waitForCount(4)
            // Once the relay has marked it published (same transaction as its publish):
            for _ in 0..<500 {
                var waiting = 0
                for try await count in try await postgres.query("SELECT count(*)::integer FROM outbox WHERE published_at IS NULL").decode(Int.self) {
                    waiting = count
                }
                if waiting == 0 { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            // Asking again sends the control message again, for workers that missed it.
            let third = try await client.api("/api/v1/job/\(split)/cancel", method: .post)
            #expect(third.status == .accepted)
            #expect(try third.json()["status"] == "running")

            let messages = await publisher.waitForCount(5)
            let controls = messages.filter { $0.exchange == Topology.controlExchange }
            #expect(controls.map(\.messageID).sorted() == ["job/\(pending)/cancel", "job/\(split)/cancel", "job/\(split)/cancel"].sorted())
            let decoded = try controls.map { try MessageCoding.decode(ControlMessage.self, from: $0.body) }
            #expect(Set(decoded.map(\.jobUUID.uuidString).map { $0.lowercased() }) == [pending, split])
            #expect(decoded.allSatisfy { $0.action == .cancel })
            #expect(messages.count == 5)
        }
    }
}
