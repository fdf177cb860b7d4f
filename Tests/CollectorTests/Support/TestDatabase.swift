import Foundation
import Logging
import PostgresNIO
import Shared
import TestSupport

/// A fresh, migrated database for one test.
enum TestDatabase {
    static let logger = Logger(label: "test")

    /// Runs `body` with a client on a new migrated database, then drops it.
    static func with<T: Sendable>(_ body: @Sendable (PostgresClient, URL) async throws -> T) async throws -> T {
        let (name, url) = try await TestServices.createDatabase()
        do {
            let result = try await TestServices.withPostgresClient(url: url) { client in
                try await Migrator(client: client, logger: logger).migrate()
                return try await body(client, url)
            }
            try await TestServices.dropDatabase(name)
            return result
        } catch {
            try? await TestServices.dropDatabase(name)
            throw error
        }
    }

    static func insertJob(_ uuid: UUID, env: String = "test", client: PostgresClient) async throws {
        try await client.query("INSERT INTO jobs (uuid, env) VALUES (\(uuid), \(env))", logger: logger)
    }

    static func count(_ client: PostgresClient, job: UUID) async throws -> (events: Int, distinct: Int) {
        let rows = try await client.query("SELECT count(*), count(DISTINCT event_id) FROM events WHERE job_uuid = \(job)", logger: logger)
        for try await (count, distinct) in rows.decode((Int, Int).self) { return (count, distinct) }
        return (0, 0)
    }

    static func jobStatus(_ client: PostgresClient, job: UUID) async throws -> (status: String, reason: String?, shards: Int?) {
        let rows = try await client.query("SELECT status, status_reason, shard_count FROM jobs WHERE uuid = \(job)", logger: logger)
        for try await row in rows.decode((String, String?, Int?).self) { return row }
        return ("missing", nil, nil)
    }

    static func summaries(_ client: PostgresClient, job: UUID) async throws -> [String: HostStats] {
        let rows = try await client.query(
            "SELECT host, ok, changed, failures, unreachable, skipped, rescued, ignored, attempt FROM host_summaries WHERE job_uuid = \(job)",
            logger: logger
        )
        var result: [String: HostStats] = [:]
        for try await (host, ok, changed, failures, unreachable, skipped, rescued, ignored, _) in rows.decode(
            (String, Int, Int, Int, Int, Int, Int, Int, Int).self
        ) {
            result[host] = HostStats(
                ok: ok, changed: changed, failures: failures, unreachable: unreachable, skipped: skipped, rescued: rescued, ignored: ignored)
        }
        return result
    }

    static func shards(_ client: PostgresClient, job: UUID) async throws -> [(index: Int, status: String, attempts: Int, hosts: [String])] {
        let rows = try await client.query(
            "SELECT shard_index, status, attempts, hosts FROM shards WHERE job_uuid = \(job) ORDER BY shard_index", logger: logger
        )
        var result: [(Int, String, Int, [String])] = []
        for try await row in rows.decode((Int, String, Int, [String]).self) { result.append(row) }
        return result
    }

    static func failedEvents(_ client: PostgresClient, job: UUID) async throws -> Int {
        let rows = try await client.query("SELECT count(*) FROM events WHERE job_uuid = \(job) AND failed", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
