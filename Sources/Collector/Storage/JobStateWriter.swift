import Foundation
import Logging
import PostgresNIO
import Shared

/// Recomputes jobs from their stored state events (`JobFold`) and writes what changed to `jobs`, `shards`,
/// `shard_runs` and `host_summaries`, inside the caller's transaction.
struct JobStateWriter {
    let connection: PostgresConnection
    let logger: Logger

    private struct StoredShard: Equatable {
        var status: String
        var attempts: Int
        var currentRunID: UUID?
        var currentAttempt: Int?
        var rc: Int?
        var reason: String?
        var summaryRunID: UUID?
        var hostCount: Int
    }

    /// Folds the jobs (those without a `jobs` row are skipped) and returns their statuses after the write.
    func fold(jobs: Set<UUID>) async throws -> [UUID: JobStatus] {
        let ids = jobs.sorted { $0.uuidString < $1.uuidString }
        // Lock in a fixed order, so collectors folding the same jobs never deadlock.
        var stored: [UUID: (status: JobStatus, startedAt: Date?)] = [:]
        let locked = try await connection.query(
            "SELECT uuid, status, started_at FROM jobs WHERE uuid = ANY(\(ids)) ORDER BY uuid FOR UPDATE",
            logger: logger
        )
        for try await (uuid, status, startedAt) in locked.decode((UUID, String, Date?).self) {
            stored[uuid] = (JobStatus(rawValue: status) ?? .pending, startedAt)
        }
        let present = Array(stored.keys)
        guard !present.isEmpty else {
            logger.debug("events for unknown jobs stored without folding", metadata: ["jobs.count": "\(ids.count)"])
            return [:]
        }

        var events: [UUID: [StateEvent]] = [:]
        let eventRows = try await connection.query(
            """
            SELECT job_uuid, seq, type, shard_index, run_id, attempt, created_at, (payload -> 'data')::text
            FROM events
            WHERE job_uuid = ANY(\(present))
              AND type IN ('job_split', 'job_failed', 'shard_started', 'shard_finished', 'shard_error', 'shard_canceled',
                           'playbook_on_stats')
            """,
            logger: logger
        )
        let decoder = JSONDecoder()
        for try await (job, seq, type, shardIndex, runID, attempt, createdAt, data) in eventRows.decode(
            (UUID, Int64, String, Int?, UUID?, Int?, Date, String?).self
        ) {
            let value = data.flatMap { try? decoder.decode(JSONValue.self, from: Data($0.utf8)) }
            events[job, default: []].append(
                StateEvent(seq: seq, type: type, shardIndex: shardIndex, runID: runID, attempt: attempt, timestamp: createdAt, data: value)
            )
        }

        var runs: [UUID: [RunRecord]] = [:]
        var runStatuses: [UUID: String] = [:]
        let runRows = try await connection.query(
            "SELECT run_id, job_uuid, shard_index, attempt, worker_id, status FROM shard_runs WHERE job_uuid = ANY(\(present))",
            logger: logger
        )
        for try await (runID, job, shardIndex, attempt, workerID, status) in runRows.decode((UUID, UUID, Int, Int, String?, String).self) {
            runs[job, default: []].append(RunRecord(runID: runID, shardIndex: shardIndex, attempt: attempt, workerID: workerID))
            runStatuses[runID] = status
        }

        var shards: [UUID: [Int: StoredShard]] = [:]
        let shardRows = try await connection.query(
            """
            SELECT job_uuid, shard_index, status, attempts, current_run_id, current_attempt, rc, reason, summary_run_id,
                   cardinality(hosts)
            FROM shards WHERE job_uuid = ANY(\(present))
            """,
            logger: logger
        )
        for try await (job, index, status, attempts, runID, attempt, rc, reason, summaryRunID, hostCount) in shardRows.decode(
            (UUID, Int, String, Int, UUID?, Int?, Int?, String?, UUID?, Int).self
        ) {
            shards[job, default: [:]][index] = StoredShard(
                status: status, attempts: attempts, currentRunID: runID, currentAttempt: attempt, rc: rc, reason: reason,
                summaryRunID: summaryRunID, hostCount: hostCount
            )
        }

        var shardRecords: [JSONValue] = []
        var supersededRecords: [JSONValue] = []
        var summaryRecords: [String: (attempt: Int, record: JSONValue)] = [:]
        var runRecords: [JSONValue] = []
        var jobRecords: [JSONValue] = []
        var statuses: [UUID: JobStatus] = [:]

        for job in present {
            let result = JobFold.fold(events: events[job] ?? [], runs: runs[job] ?? [])
            let jobText = job.uuidString.lowercased()
            let jobStart = stored[job]?.startedAt ?? Date()
            for shard in result.shards {
                let now = StoredShard(
                    status: shard.status.rawValue, attempts: shard.attempts, currentRunID: shard.currentRunID,
                    currentAttempt: shard.currentAttempt, rc: shard.rc, reason: shard.reason, summaryRunID: shard.summaryRunID,
                    hostCount: shard.hosts.count
                )
                guard shards[job]?[shard.index] != now else { continue }
                shardRecords.append(
                    .object([
                        "job_uuid": .string(jobText), "shard_index": .int(Int64(shard.index)), "hosts": .array(shard.hosts.map(JSONValue.string)),
                        "status": .string(shard.status.rawValue), "attempts": .int(Int64(shard.attempts)),
                        "current_run_id": Self.json(shard.currentRunID), "current_attempt": Self.json(shard.currentAttempt),
                        "rc": Self.json(shard.rc), "reason": shard.reason.map(JSONValue.string) ?? .null,
                        "started_at": Self.json(shard.startedAt), "finished_at": Self.json(shard.finishedAt),
                        "summary_run_id": Self.json(shard.summaryRunID),
                    ])
                )
                if let attempt = shard.currentAttempt {
                    supersededRecords.append(
                        .object(["job_uuid": .string(jobText), "shard_index": .int(Int64(shard.index)), "attempt": .int(Int64(attempt))]))
                }
                if let summary = shard.summary, let runID = shard.summaryRunID, let attempt = shard.currentAttempt {
                    for (host, stats) in summary {
                        let key = jobText + "/" + host
                        if let existing = summaryRecords[key], existing.attempt > attempt { continue }
                        summaryRecords[key] = (
                            attempt,
                            .object([
                                "job_uuid": .string(jobText), "host": .string(host), "shard_index": .int(Int64(shard.index)),
                                "run_id": .string(runID.uuidString.lowercased()), "attempt": .int(Int64(attempt)),
                                "ok": .int(Int64(stats.ok)), "changed": .int(Int64(stats.changed)), "failures": .int(Int64(stats.failures)),
                                "unreachable": .int(Int64(stats.unreachable)), "skipped": .int(Int64(stats.skipped)),
                                "rescued": .int(Int64(stats.rescued)), "ignored": .int(Int64(stats.ignored)),
                                "job_start_time": .string(Timestamp.format(jobStart)),
                            ])
                        )
                    }
                }
            }
            for run in result.runs where runStatuses[run.runID] != run.status.rawValue {
                runRecords.append(
                    .object([
                        "run_id": .string(run.runID.uuidString.lowercased()), "status": .string(run.status.rawValue), "rc": Self.json(run.rc),
                        "reason": run.reason.map(JSONValue.string) ?? .null, "finished_at": Self.json(run.finishedAt),
                    ])
                )
            }
            // A final status is final, whoever set it (a job canceled before it ran, an earlier fold): subscribers
            // were told `job_finished`, so status, reason and finish time stay. Late events are still stored,
            // shards and host summaries still follow them.
            var status = result.status
            var kept = false
            if let previous = stored[job]?.status, previous.isFinished {
                if previous != status {
                    logger.notice(
                        "job already final; its status stays",
                        metadata: ["job.uuid": "\(job)", "job.status": "\(previous.rawValue)", "job.folded_status": "\(status.rawValue)"]
                    )
                }
                status = previous
                kept = true
            }
            statuses[job] = status
            jobRecords.append(
                .object([
                    "uuid": .string(jobText), "status": .string(status.rawValue), "status_reason": result.reason.map(JSONValue.string) ?? .null,
                    "shard_count": Self.json(result.shardCount), "host_count": Self.json(result.hostCount), "finished": .bool(status.isFinished),
                    "keep_reason": .bool(kept), "commit": result.commit.map(JSONValue.string) ?? .null,
                ])
            )
        }

        if !shardRecords.isEmpty {
            let json = try JSONRecords.encode(shardRecords)
            try await connection.query(
                """
                INSERT INTO shards (job_uuid, shard_index, hosts, status, attempts, current_run_id, current_attempt, rc, reason,
                                    started_at, finished_at, summary_run_id)
                SELECT s.job_uuid, s.shard_index, COALESCE(s.hosts, '{}'), s.status, s.attempts, s.current_run_id, s.current_attempt,
                       s.rc, s.reason, s.started_at, s.finished_at, s.summary_run_id
                FROM jsonb_to_recordset(\(json)::jsonb)
                    AS s(job_uuid uuid, shard_index integer, hosts text[], status text, attempts integer, current_run_id uuid,
                         current_attempt integer, rc integer, reason text, started_at timestamptz, finished_at timestamptz,
                         summary_run_id uuid)
                ON CONFLICT (job_uuid, shard_index) DO UPDATE SET
                    hosts = CASE WHEN cardinality(EXCLUDED.hosts) > 0 THEN EXCLUDED.hosts ELSE shards.hosts END,
                    status = EXCLUDED.status, attempts = EXCLUDED.attempts, current_run_id = EXCLUDED.current_run_id,
                    current_attempt = EXCLUDED.current_attempt, rc = EXCLUDED.rc, reason = EXCLUDED.reason,
                    started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, summary_run_id = EXCLUDED.summary_run_id
                """,
                logger: logger
            )
        }
        if !supersededRecords.isEmpty {
            // Recaps of superseded attempts no longer count.
            let json = try JSONRecords.encode(supersededRecords)
            try await connection.query(
                """
                DELETE FROM host_summaries h
                USING jsonb_to_recordset(\(json)::jsonb) AS s(job_uuid uuid, shard_index integer, attempt integer)
                WHERE h.job_uuid = s.job_uuid AND h.shard_index = s.shard_index AND h.attempt < s.attempt
                """,
                logger: logger
            )
        }
        if !summaryRecords.isEmpty {
            let json = try JSONRecords.encode(summaryRecords.values.map(\.record))
            try await connection.query(
                """
                INSERT INTO host_summaries (job_uuid, host, shard_index, run_id, attempt, ok, changed, failures, unreachable, skipped,
                                            rescued, ignored, job_start_time, updated_at)
                SELECT s.job_uuid, s.host, s.shard_index, s.run_id, s.attempt, s.ok, s.changed, s.failures, s.unreachable, s.skipped,
                       s.rescued, s.ignored, s.job_start_time, now()
                FROM jsonb_to_recordset(\(json)::jsonb)
                    AS s(job_uuid uuid, host text, shard_index integer, run_id uuid, attempt integer, ok integer, changed integer,
                         failures integer, unreachable integer, skipped integer, rescued integer, ignored integer,
                         job_start_time timestamptz)
                ORDER BY s.job_uuid, s.host
                ON CONFLICT (job_uuid, host) DO UPDATE SET
                    shard_index = EXCLUDED.shard_index, run_id = EXCLUDED.run_id, attempt = EXCLUDED.attempt, ok = EXCLUDED.ok,
                    changed = EXCLUDED.changed, failures = EXCLUDED.failures, unreachable = EXCLUDED.unreachable,
                    skipped = EXCLUDED.skipped, rescued = EXCLUDED.rescued, ignored = EXCLUDED.ignored, updated_at = now()
                WHERE host_summaries.attempt <= EXCLUDED.attempt
                """,
                logger: logger
            )
        }
        if !runRecords.isEmpty {
            let json = try JSONRecords.encode(runRecords)
            try await connection.query(
                """
                UPDATE shard_runs r SET status = s.status, rc = s.rc, reason = s.reason, finished_at = s.finished_at
                FROM jsonb_to_recordset(\(json)::jsonb) AS s(run_id uuid, status text, rc integer, reason text, finished_at timestamptz)
                WHERE r.run_id = s.run_id
                """,
                logger: logger
            )
        }
        let json = try JSONRecords.encode(jobRecords)
        try await connection.query(
            """
            UPDATE jobs j SET
                status = s.status,
                status_reason = CASE WHEN s.keep_reason THEN j.status_reason ELSE s.status_reason END,
                shard_count = COALESCE(s.shard_count, j.shard_count),
                host_count = COALESCE(s.host_count, j.host_count),
                playbook_commit = COALESCE(s.commit, j.playbook_commit),
                started_at = COALESCE(j.started_at, now()),
                finished_at = CASE WHEN s.finished THEN COALESCE(j.finished_at, now()) ELSE NULL END,
                updated_at = now()
            FROM jsonb_to_recordset(\(json)::jsonb)
                AS s(uuid uuid, status text, status_reason text, shard_count integer, host_count integer, finished boolean, keep_reason boolean,
                     commit text)
            WHERE j.uuid = s.uuid
            """,
            logger: logger
        )
        return statuses
    }

    private static func json(_ value: UUID?) -> JSONValue { value.map { .string($0.uuidString.lowercased()) } ?? .null }
    private static func json(_ value: Int?) -> JSONValue { value.map { .int(Int64($0)) } ?? .null }
    private static func json(_ value: Date?) -> JSONValue { value.map { .string(Timestamp.format($0)) } ?? .null }
}
