import Foundation
import Logging
import NIOCore
import PostgresNIO
import Shared

/// Writes event batches to PostgreSQL and folds the jobs they touch, in one transaction.
///
/// Events are streamed with one `COPY` straight into `events`, under a savepoint. Should any of them be stored
/// already (a redelivery after a crash, a duplicate; unique violation on `(job_uuid, event_id)`), the savepoint
/// is rolled back and the batch goes the slow way instead: `COPY` into a per-connection temporary staging table,
/// then `INSERT … SELECT … ON CONFLICT DO NOTHING` in arrival order, so every event is stored once either way.
/// Jobs whose state may have changed (a state event, or a new run) are locked (`FOR UPDATE`, in uuid order) and
/// recomputed from their stored state events: two collectors writing the same job serialize there, and the
/// later one sees the earlier one's rows. A transaction whose connection closes under it fails (see
/// `PostgresConnection.failingWhenClosed`), so the writer retries the batch on a new connection.
package struct PostgresEventStore: EventStore {
    let client: PostgresClient
    let logger: Logger

    func write(_ batches: [IncomingBatch], deadLetters: [DeadLetter]) async throws -> WriteOutcome {
        let logger = self.logger
        return try await client.withWatchedTransaction(logger: logger) { connection in
            if !deadLetters.isEmpty { try await Self.insert(deadLetters, on: connection, logger: logger) }
            return try await Self.write(batches, on: connection, logger: logger)
        }
    }

    /// Records dead letters; one already recorded (same key) is left as it is.
    static func insert(_ deadLetters: [DeadLetter], on connection: PostgresConnection, logger: Logger) async throws {
        for letter in deadLetters {
            try await connection.query(
                """
                INSERT INTO dead_letters (key, job_uuid, message_id, event_id, exchange, routing_key, body, reason)
                VALUES (\(Self.text(letter.key)), \(letter.jobUUID), \(letter.messageID.map(Self.text)), \(letter.eventID.map(Self.text)),
                        \(Self.text(letter.exchange)), \(Self.text(letter.routingKey)), \(ByteBuffer(bytes: letter.body)), \(Self.text(letter.reason)))
                ON CONFLICT (key) DO NOTHING
                """,
                logger: logger
            )
        }
    }

    /// `text` cannot hold NUL; names from the broker could.
    private static func text(_ value: String) -> String {
        value.contains("\u{0}") ? value.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : value
    }

    static func write(_ batches: [IncomingBatch], on connection: PostgresConnection, logger: Logger) async throws -> WriteOutcome {
        let total = batches.reduce(0) { $0 + $1.eventCount }
        let inserted = total > 0 ? try await insertEvents(batches, count: total, on: connection, logger: logger) : 0

        // Jobs whose state may have changed: a state event, or a run not seen before.
        var jobs = Set(batches.map(\.jobUUID))
        var stateJobs = Set(batches.filter(\.hasStateEvent).map(\.jobUUID))
        stateJobs.formUnion(try await insertRuns(batches, on: connection, logger: logger))
        jobs.subtract(stateJobs)
        if !jobs.isEmpty {
            // A row locked by another writer is skipped rather than waited for: that writer is folding the job
            // (which marks it running) or marking it running itself. Waiting would serialize every writer of a
            // busy job behind its folds.
            try await connection.query(
                """
                UPDATE jobs SET status = 'running', started_at = COALESCE(started_at, now()), updated_at = now()
                WHERE uuid IN (
                    SELECT uuid FROM jobs WHERE uuid = ANY(\(Array(jobs))) AND status = 'pending' FOR UPDATE SKIP LOCKED
                )
                """,
                logger: logger
            )
        }
        var statuses: [UUID: JobStatus] = [:]
        if !stateJobs.isEmpty {
            statuses = try await JobStateWriter(connection: connection, logger: logger).fold(jobs: stateJobs)
        }
        return WriteOutcome(inserted: inserted, duplicates: total - inserted, jobStatuses: statuses)
    }

    /// Stores the batches' events, each once; returns how many were new.
    private static func insertEvents(_ batches: [IncomingBatch], count: Int, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        try await connection.query("SAVEPOINT events_copy", logger: logger)
        do {
            try await copy(batches, into: "events", on: connection, logger: logger)
            return count
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            try await connection.query("ROLLBACK TO SAVEPOINT events_copy", logger: logger)
            logger.debug("events already stored in the batch; skipping them", metadata: ["events.count": "\(count)"])
        }
        try await connection.query(
            """
            CREATE TEMP TABLE IF NOT EXISTS events_staging (
                ord bigint GENERATED ALWAYS AS IDENTITY, job_uuid uuid, event_id text, type text, shard_index integer,
                run_id uuid, attempt integer, counter integer, parent_uuid text, host text, play text, task text,
                task_action text, role text, failed boolean, ignore_errors boolean, created_at timestamptz,
                duration double precision, payload jsonb
            ) ON COMMIT DELETE ROWS
            """,
            logger: logger
        )
        try await copy(batches, into: "events_staging", on: connection, logger: logger)
        let rows = try await connection.query(
            """
            WITH moved AS (
                INSERT INTO events (job_uuid, event_id, type, shard_index, run_id, attempt, counter, parent_uuid, host, play,
                                    task, task_action, role, failed, ignore_errors, created_at, duration, payload)
                SELECT job_uuid, event_id, type, shard_index, run_id, attempt, counter, parent_uuid, host, play,
                       task, task_action, role, failed, ignore_errors, created_at, duration, payload
                FROM events_staging ORDER BY ord
                ON CONFLICT (job_uuid, event_id) DO NOTHING
                RETURNING 1
            )
            SELECT count(*) FROM moved
            """,
            logger: logger
        )
        var inserted = 0
        for try await moved in rows.decode(Int64.self) { inserted = Int(moved) }
        return inserted
    }

    /// Streams the batches' rows into `table` (`events` or the staging table) with one `COPY`.
    package static func copy(_ batches: [IncomingBatch], into table: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.copyFrom(table: table, columns: IncomingBatch.columns, logger: logger) { writer in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(1 << 20 + 1 << 16)
            for batch in batches {
                buffer.writeBytes(batch.copyRows)
                if buffer.readableBytes >= 1 << 20 {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
    }

    /// Records the runs the batches belong to; returns the jobs that got a run not seen before.
    private static func insertRuns(_ batches: [IncomingBatch], on connection: PostgresConnection, logger: Logger) async throws -> Set<UUID> {
        var runs: [UUID: JSONValue] = [:]
        for batch in batches {
            guard let runID = batch.runID, let shardIndex = batch.shardIndex, runs[runID] == nil else { continue }
            var record: [String: JSONValue] = [
                "run_id": .string(runID.uuidString.lowercased()), "job_uuid": .string(batch.jobUUID.uuidString.lowercased()),
                "shard_index": .int(Int64(shardIndex)), "attempt": .int(Int64(batch.attempt ?? 1)),
            ]
            if let worker = batch.workerID { record["worker_id"] = .string(worker) }
            if let first = batch.firstTimestamp { record["started_at"] = .string(first) }
            runs[runID] = .object(record)
        }
        guard !runs.isEmpty else { return [] }
        let json = try JSONRecords.encode(Array(runs.values))
        let rows = try await connection.query(
            """
            INSERT INTO shard_runs (run_id, job_uuid, shard_index, attempt, worker_id, started_at)
            SELECT r.run_id, r.job_uuid, r.shard_index, r.attempt, r.worker_id, r.started_at
            FROM jsonb_to_recordset(\(json)::jsonb)
                AS r(run_id uuid, job_uuid uuid, shard_index integer, attempt integer, worker_id text, started_at timestamptz)
            WHERE EXISTS (SELECT 1 FROM jobs WHERE jobs.uuid = r.job_uuid)
            ORDER BY r.run_id
            ON CONFLICT (run_id) DO NOTHING
            RETURNING job_uuid
            """,
            logger: logger
        )
        var jobs = Set<UUID>()
        for try await job in rows.decode(UUID.self) { jobs.insert(job) }
        return jobs
    }
}

/// JSON text of records for `jsonb_to_recordset`, bound as one parameter.
enum JSONRecords {
    static func encode(_ records: [JSONValue]) throws -> String {
        String(decoding: try MessageCoding.encoder().encode(JSONValue.array(records)), as: UTF8.self)
    }
}
