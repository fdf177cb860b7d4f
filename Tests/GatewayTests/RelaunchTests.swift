import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Gateway

/// `POST /api/v1/job/{uuid}/relaunch`: which hosts a relaunch runs, what it pins, and when it is refused. The
/// collector's tables are written directly here; `FleetJobTests` relaunches a real job's failed hosts.
struct RelaunchTests {
    @Test(.enabled(if: TestServices.available)) func aRelaunchRunsExactlyTheHostsAskedForAtTheSameCommitAndVersion() async throws {
        let publisher = RecordingPublisher()
        try await GatewayTestApp.withApp(publisher: publisher) { client, postgres in
            let fixtures = Fixtures(client: client)
            let inventory = try await fixtures.inventory(hosts: "all:\n  hosts:\n    a:\n    b:\n    c:\n    d:\n")
            let playbook = try await fixtures.playbook()
            let launched = try await fixtures.job(playbook: playbook, inventory: inventory, extra: ["limit": "all", "forks": 7, "tags": "x"])
            let uuid = try #require(launched.json["uuid"]?.stringValue)
            let jobUUID = try #require(UUID(uuidString: uuid))
            _ = await publisher.waitForCount(1)

            // Running: refused.
            let early = try await client.api("/api/v1/job/\(uuid)/relaunch", method: .post, json: #"{"hosts": "failed"}"#)
            #expect(early.status == .conflict)
            #expect(try early.json()["error", "code"] == "job_not_finished")

            // The job split into two shards at a commit, then ended: a failed, b fine, c unreachable, d never reported.
            try await postgres.query(
                "UPDATE jobs SET status = 'failed', shard_count = 2, playbook_commit = 'c0ffee', finished_at = now() WHERE uuid = \(jobUUID)")
            try await postgres.query(
                """
                INSERT INTO shards (job_uuid, shard_index, hosts, status) VALUES
                    (\(jobUUID), 0, ARRAY['a', 'b'], 'failed'), (\(jobUUID), 1, ARRAY['c', 'd'], 'error')
                """)
            try await postgres.query(
                """
                INSERT INTO host_summaries (job_uuid, host, shard_index, run_id, attempt, ok, failures, unreachable) VALUES
                    (\(jobUUID), 'a', 0, \(UUID()), 1, 1, 1, 0), (\(jobUUID), 'b', 0, \(UUID()), 1, 2, 0, 0),
                    (\(jobUUID), 'c', 1, \(UUID()), 1, 0, 0, 1)
                """)
            // A new inventory version since: the relaunch still runs the one the job ran.
            let update = try await client.api(
                "/api/v1/inventory/\(inventory)", method: .put, json: #"{"version": "2", "hosts": "all:\n  hosts:\n    z:\n"}"#)
            #expect(update.status == .ok, "\(update.text)")

            for (index, (hosts, expected)) in [
                (#"{"hosts": "failed"}"#, ["a", "c", "d"]), ("{}", ["a", "c", "d"]), (#"{"hosts": "all"}"#, ["a", "b", "c", "d"]),
            ]
            .enumerated() {
                let relaunch = try await client.api("/api/v1/job/\(uuid)/relaunch", method: .post, json: hosts)
                #expect(relaunch.status == .created, "\(relaunch.text)")
                let new = try relaunch.json()
                #expect(new["relaunch_of"] == .string(uuid))
                let newUUID = try #require(new["uuid"]?.stringValue)
                let shown = try await client.api("/api/v1/job/\(newUUID)", method: .get).json()
                #expect(shown["relaunch_of"] == .string(uuid))
                #expect(shown["options", "hosts"] == .array(expected.map(JSONValue.string)))
                #expect(shown["options", "limit"] == "all")
                #expect(shown["options", "forks"] == 7)
                #expect(shown["inventory_version"] == "1")
                // Live progress where the collector listens (ws_port, by default).
                #expect(shown["progress_url"] == .string("ws://127.0.0.1:5858/api/v1/job/progress/\(newUUID)"))

                let message = try #require(await publisher.waitForCount(2 + index).last { $0.messageID == "job/\(newUUID)" })
                let job = try MessageCoding.decode(JobMessage.self, from: message.body)
                #expect(job.playbook.commit == "c0ffee")
                #expect(job.inventory.version == "1")
                #expect(job.inventory.hosts.contains("d:"))
                #expect(job.options.hosts == expected)
                #expect(job.options.limit == "all")
                #expect(job.options.tags == ["x"])
            }

            // Every host succeeded: nothing to relaunch.
            try await postgres.query("UPDATE host_summaries SET failures = 0, unreachable = 0 WHERE job_uuid = \(jobUUID)")
            try await postgres.query(
                "INSERT INTO host_summaries (job_uuid, host, shard_index, run_id, attempt, ok) VALUES (\(jobUUID), 'd', 1, \(UUID()), 1, 1)")
            let nothing = try await client.api("/api/v1/job/\(uuid)/relaunch", method: .post, json: #"{"hosts": "failed"}"#)
            #expect(nothing.status == .conflict)
            #expect(try nothing.json()["error", "code"] == "nothing_to_relaunch")
        }
    }

    @Test(arguments: GatewayTestBackend.available)
    func aRelaunchIsRefusedForWhatCannotBeRelaunched(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            let fixtures = Fixtures(client: client)
            let job = try await fixtures.job(playbook: try await fixtures.playbook(), inventory: try await fixtures.inventory())
            let uuid = try #require(job.json["uuid"]?.stringValue)
            let unknown = try await client.api("/api/v1/job/\(UUID())/relaunch", method: .post, json: "{}")
            #expect(unknown.status == .notFound)
            let badHosts = try await client.api("/api/v1/job/\(uuid)/relaunch", method: .post, json: #"{"hosts": "some"}"#)
            #expect(badHosts.status == .badRequest)
            #expect(try badHosts.json()["error", "field"] == "hosts")
            let pending = try await client.api("/api/v1/job/\(uuid)/relaunch", method: .post, json: "{}")
            #expect(pending.status == .conflict)
            #expect(try pending.json()["error", "code"] == "job_not_finished")
            // Canceled before it split: relaunched with its own limit.
            #expect(try await client.api("/api/v1/job/\(uuid)/cancel", method: .post).status == .accepted)
            let relaunch = try await client.api("/api/v1/job/\(uuid)/relaunch", method: .post, json: "{}")
            #expect(relaunch.status == .created, "\(relaunch.text)")
            #expect(try relaunch.json()["relaunch_of"] == .string(uuid))
        }
    }
}
