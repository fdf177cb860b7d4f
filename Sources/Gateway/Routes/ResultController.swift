import Foundation
import Hummingbird
import PostgresNIO
import Shared

/// What the collector stored about a job: the seed's per-host result, the events, the rebuilt output.
struct ResultController {
    let services: GatewayServices

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.get("/api/v1/job/result/:uuid", use: result)
        router.get("/api/v1/job/:uuid/events", use: events)
        router.get("/api/v1/job/:uuid/stdout", use: stdout)
    }

    private func requireJob(_ uuid: UUID, context: GatewayRequestContext) async throws {
        for try await _ in try await services.postgres.query("SELECT id FROM jobs WHERE uuid = \(uuid)", logger: context.logger).decode(Int64.self) {
            return
        }
        throw APIError.notFound("job", id: uuid.uuidString.lowercased())
    }

    /// The seed's shape, keyed by host: `failures` (failed events of the current run of the host's shard, or
    /// null) and `stats` (the host summary, or null for a host of the job without one yet). PostgreSQL builds the
    /// JSON, which keeps a 10,000-host answer fast.
    @Sendable func result(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let uuid = try context.jobUUID()
        try await requireJob(uuid, context: context)
        let rows = try await services.postgres.query(
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
            ) ORDER BY t.host), '{}')::text
            FROM targets t
            LEFT JOIN host_summaries hs ON hs.job_uuid = \(uuid) AND hs.host = t.host
            LEFT JOIN failures f ON f.host = t.host
            """,
            logger: context.logger
        )
        for try await text in rows.decode(String.self) {
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        return JSONResponse.make(value: .object([:]))
    }

    /// Stored events in arrival order, each the stored event (the `PansibleEvent` JSON) with its `seq`,
    /// `shard_index`, `run_id` and `attempt`: `after` (a `seq`, the `next` of the previous page), `limit`
    /// (default 100, at most 1000), filters `host`, `type`, `failed`, `shard`.
    @Sendable func events(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let uuid = try context.jobUUID()
        let after = try request.queryInt("after", default: 0, range: 0...Int64.max) ?? 0
        let limit = try request.queryInt("limit", default: 100, range: 1...1000) ?? 100
        let host = request.queryString("host")
        let type = request.queryString("type")
        let failed = try request.queryBool("failed")
        let shard = try request.queryInt("shard", range: 0...Int64(Int32.max))
        try await requireJob(uuid, context: context)
        let rows = try await services.postgres.query(
            """
            SELECT seq, (jsonb_build_object('seq', seq, 'shard_index', shard_index, 'run_id', run_id, 'attempt', attempt) || payload)::text FROM events
            WHERE job_uuid = \(uuid) AND seq > \(after)
              AND (\(host)::text IS NULL OR host = \(host)) AND (\(type)::text IS NULL OR type = \(type))
              AND (\(failed)::bool IS NULL OR failed = \(failed)) AND (\(shard)::int8 IS NULL OR shard_index = \(shard))
            ORDER BY seq LIMIT \(limit)
            """,
            logger: context.logger
        )
        var text = #"{"events":["#
        var count = 0
        var last: Int64 = after
        for try await (seq, payload) in rows.decode((Int64, String).self) {
            if count > 0 { text += "," }
            text += payload
            count += 1
            last = seq
        }
        text += #"],"next":\#(count == Int(limit) ? "\"\(last)\"" : "null")}"#
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The human-readable log: shard by shard in index order, the `stdout` of the events of each shard's
    /// current run, in `counter` order.
    @Sendable func stdout(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let uuid = try context.jobUUID()
        try await requireJob(uuid, context: context)
        let rows = try await services.postgres.query(
            """
            SELECT e.payload ->> 'stdout' FROM shards s
            JOIN events e ON e.job_uuid = s.job_uuid AND e.run_id = s.current_run_id
            WHERE s.job_uuid = \(uuid) AND e.payload ? 'stdout'
            ORDER BY s.shard_index, e.counter, e.seq
            """,
            logger: context.logger
        )
        var buffer = ByteBuffer()
        for try await line in rows.decode(String?.self) {
            guard let line else { continue }
            buffer.writeString(line)
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: buffer))
    }
}
