import Foundation
import Logging
import PostgresNIO
import Shared

/// What a progress subscriber reads from PostgreSQL: stored events in order, the job's status and recap.
///
/// Every read fails rather than waits forever when the database goes away under it (see `failingWhenClosed`).
struct ProgressStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    struct StoredEvent: Sendable {
        var seq: Int64
        var id: String
        var runID: UUID?
        var counter: Int?
        var text: String
    }

    /// What identifies a stored event, without its payload.
    struct StoredKey: Sendable {
        var seq: Int64
        var id: String
        var runID: UUID?
        var counter: Int?
    }

    /// Events of the job after `seq`, in order, rendered as progress messages.
    func events(jobUUID: UUID, after seq: Int64, limit: Int) async throws -> [StoredEvent] {
        try await read { connection, logger in
            let rows = try await connection.query(
                """
                SELECT seq, event_id, shard_index, run_id, payload::text FROM events
                WHERE job_uuid = \(jobUUID) AND seq > \(seq) ORDER BY seq LIMIT \(limit)
                """,
                logger: logger
            )
            return try await Self.render(rows, jobUUID: jobUUID)
        }
    }

    /// The job's events with these ids, in order.
    func events(jobUUID: UUID, ids: [String]) async throws -> [StoredEvent] {
        try await read { connection, logger in
            let rows = try await connection.query(
                """
                SELECT seq, event_id, shard_index, run_id, payload::text FROM events
                WHERE job_uuid = \(jobUUID) AND event_id = ANY(\(ids)) ORDER BY seq
                """,
                logger: logger
            )
            return try await Self.render(rows, jobUUID: jobUUID)
        }
    }

    /// The ids, runs and counters of the job's events after `seq`, in order.
    func keys(jobUUID: UUID, after seq: Int64, limit: Int) async throws -> [StoredKey] {
        try await read { connection, logger in
            var keys: [StoredKey] = []
            let rows = try await connection.query(
                """
                SELECT seq, event_id, run_id, counter FROM events
                WHERE job_uuid = \(jobUUID) AND seq > \(seq) ORDER BY seq LIMIT \(limit)
                """,
                logger: logger
            )
            for try await (seq, id, runID, counter) in rows.decode((Int64, String, UUID?, Int?).self) {
                keys.append(StoredKey(seq: seq, id: id, runID: runID, counter: counter))
            }
            return keys
        }
    }

    /// The job's status and reason; nil when there is no such job.
    func status(jobUUID: UUID) async throws -> (status: JobStatus, reason: String?)? {
        try await read { connection, logger in
            let rows = try await connection.query("SELECT status, status_reason FROM jobs WHERE uuid = \(jobUUID)", logger: logger)
            var found: (status: JobStatus, reason: String?)?
            for try await (status, reason) in rows.decode((String, String?).self) {
                found = (JobStatus(rawValue: status) ?? .pending, reason)
            }
            return found
        }
    }

    /// The job's environment; nil when there is no such job.
    func env(jobUUID: UUID) async throws -> String? {
        try await read { connection, logger in
            let rows = try await connection.query("SELECT env FROM jobs WHERE uuid = \(jobUUID)", logger: logger)
            for try await env in rows.decode(String.self) { return env }
            return nil
        }
    }

    func recap(jobUUID: UUID) async throws -> [String: HostStats] {
        try await read { connection, logger in
            let rows = try await connection.query(
                """
                SELECT host, ok, changed, failures, unreachable, skipped, rescued, ignored FROM host_summaries
                WHERE job_uuid = \(jobUUID)
                """,
                logger: logger
            )
            var recap: [String: HostStats] = [:]
            for try await (host, ok, changed, failures, unreachable, skipped, rescued, ignored) in rows.decode(
                (String, Int, Int, Int, Int, Int, Int, Int).self
            ) {
                recap[host] = HostStats(
                    ok: ok, changed: changed, failures: failures, unreachable: unreachable, skipped: skipped, rescued: rescued, ignored: ignored
                )
            }
            return recap
        }
    }

    /// Runs `body` on a pooled connection, failing once the connection has closed under it.
    private func read<Value: Sendable>(_ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Value) async throws -> Value {
        let logger = self.logger
        return try await client.withWatchedConnection { connection in try await body(connection, logger) }
    }

    private static func render(_ rows: PostgresRowSequence, jobUUID: UUID) async throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        for try await (seq, id, shardIndex, runID, payload) in rows.decode((Int64, String, Int?, UUID?, String).self) {
            let json = Array(payload.utf8)
            var reader = JSONReader(json)
            guard let event = try? ScannedEvent(reading: &reader, index: 0) else { continue }
            let text = ProgressMessage.text(of: event, in: json, jobUUID: jobUUID, shardIndex: shardIndex, runID: runID)
            events.append(StoredEvent(seq: seq, id: id, runID: runID, counter: event.counter, text: text))
        }
        return events
    }
}
