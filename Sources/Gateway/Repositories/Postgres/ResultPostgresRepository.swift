import Foundation
import Logging
import PostgresNIO
import Shared

/// What the collector stored: `events`, `shards`, `host_summaries`.
struct ResultPostgresRepository: ResultRepository {
    let client: PostgresClient
    let logger: Logger

    /// PostgreSQL builds the JSON, which keeps a 10,000-host answer fast.
    func result(uuid: UUID) async throws -> String {
        let text = try await client.record(
            """
            WITH targets AS (
                SELECT host FROM host_summaries WHERE job_uuid = \(uuid)
                UNION
                SELECT unnest(hosts) FROM shards WHERE job_uuid = \(uuid)
            ), failures AS (
                SELECT e.host, json_agg(json_build_object('id', e.seq, 'result', e.payload -> 'result', 'stats_id', hs.id) ORDER BY e.seq) AS list
                FROM events e
                JOIN shards s ON s.job_uuid = e.job_uuid AND s.shard_index = e.shard_index AND s.current_run_id = e.run_id
                LEFT JOIN host_summaries hs ON hs.job_uuid = e.job_uuid AND hs.host = e.host
                WHERE e.job_uuid = \(uuid) AND e.failed AND e.host IS NOT NULL
                GROUP BY e.host
            )
            SELECT coalesce(json_object_agg(t.host, json_build_object(
                'failures', f.list,
                'stats', CASE WHEN hs.id IS NULL THEN NULL ELSE json_build_object(
                    'failed', hs.failures, 'id', hs.id,
                    'job_start_time', to_char(hs.job_start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                    'run_id', hs.run_id, 'target', hs.host, 'unreachable', hs.unreachable > 0, 'ok', hs.ok, 'changed', hs.changed,
                    'skipped', hs.skipped, 'rescued', hs.rescued, 'ignored', hs.ignored) END
            ) ORDER BY t.host), '{}')::text AS result
            FROM targets t
            LEFT JOIN host_summaries hs ON hs.job_uuid = \(uuid) AND hs.host = t.host
            LEFT JOIN failures f ON f.host = t.host
            """,
            logger: logger
        ) { row in try row.columns { c in try c("result", as: String.self) } }
        return text ?? "{}"
    }

    func events(uuid: UUID, _ query: EventQuery) async throws -> [StoredEvent] {
        try await client.records(
            """
            SELECT seq,
                   (jsonb_build_object('seq', seq, 'shard_index', shard_index, 'run_id', run_id, 'attempt', attempt) || payload)::text AS payload
            FROM events
            WHERE job_uuid = \(uuid) AND seq > \(query.after)
              AND (\(query.host)::text IS NULL OR host = \(query.host)) AND (\(query.type)::text IS NULL OR type = \(query.type))
              AND (\(query.failed)::bool IS NULL OR failed = \(query.failed)) AND (\(query.shard)::int8 IS NULL OR shard_index = \(query.shard))
            ORDER BY seq LIMIT \(query.limit)
            """,
            logger: logger
        ) { row in try row.columns { c in StoredEvent(seq: try c("seq"), payload: try c("payload")) } }
    }

    func log(uuid: UUID, shard: Int?) async throws -> [LogChunk] {
        try await client.records(
            """
            SELECT s.shard_index, e.type, e.payload ->> 'stdout' AS stdout FROM shards s
            JOIN events e ON e.job_uuid = s.job_uuid AND e.run_id = s.current_run_id
            WHERE s.job_uuid = \(uuid) AND (\(shard)::int4 IS NULL OR s.shard_index = \(shard)) AND e.payload ? 'stdout'
            ORDER BY s.shard_index, e.counter, e.seq
            """,
            logger: logger
        ) { row in
            try row.columns { c in
                LogChunk(shard: try c("shard_index"), type: try c("type"), text: try c("stdout", as: String?.self) ?? "")
            }
        }
    }
}
