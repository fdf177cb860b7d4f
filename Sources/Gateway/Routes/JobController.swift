import Foundation
import Hummingbird
import PostgresNIO
import Shared

/// `/api/v1/job`: launch (the seed's request and answer), inspect, list and cancel jobs.
struct JobController {
    let services: GatewayServices

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.post("/api/v1/job", use: launch)
        router.get("/api/v1/jobs", use: list)
        router.get("/api/v1/job/:uuid", use: get)
        router.post("/api/v1/job/:uuid/cancel", use: cancel)
    }

    @Sendable func launch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let (env, credentialID, options) = try JobLaunch.options(from: body)
        let playbookID = try body.int("playbook_id", range: 1...Int64.max)
        let inventoryID = try body.int("inventory_id", range: 1...Int64.max)
        let key = try Self.idempotencyKey(request)
        let launch = JobLaunch(
            env: env, playbookID: playbookID, inventoryID: inventoryID, credentialID: credentialID, appID: nil, options: options,
            idempotencyKey: key
        )
        let (job, replayed) = try await services.launcher.launch(launch, logger: context.logger)
        return JSONResponse.make(status: .created, encodable: job, headers: replayed ? [.idempotentReplayed: "true"] : [:])
    }

    static func idempotencyKey(_ request: Request) throws(APIError) -> String? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard !key.isEmpty, key.count <= 255 else {
            throw APIError(.badRequest, code: "invalid_header", message: "Idempotency-Key must be 1 to 255 characters", field: "Idempotency-Key")
        }
        return key
    }

    static let columns = """
        id, uuid, env, playbook_id, inventory_id, inventory_version, app_id, credential_id, options::text, status, status_reason,
        playbook_commit, shard_count, host_count, cancel_requested_at, created_at, started_at, finished_at, updated_at, deadline_at
        """
    typealias Row = (
        Int64, UUID, String, Int64?, Int64?, String?, Int64?, Int64?, String, String, String?, String?, Int?, Int?, Date?, Date, Date?, Date?,
        Date, Date?
    )

    static func json(_ row: Row) -> JSONValue {
        let options = (try? JSONDecoder().decode(JSONValue.self, from: Data(row.8.utf8))) ?? .object([:])
        return [
            "id": .int(row.0), "uuid": .from(row.1), "env": .string(row.2), "playbook_id": .from(row.3), "inventory_id": .from(row.4),
            "inventory_version": .from(row.5), "app_id": .from(row.6), "credential_id": .from(row.7), "options": options,
            "status": .string(row.9), "status_reason": .from(row.10), "playbook_commit": .from(row.11), "shard_count": .from(row.12),
            "host_count": .from(row.13), "cancel_requested_at": .from(row.14), "created_at": .from(row.15), "started_at": .from(row.16),
            "finished_at": .from(row.17), "updated_at": .from(row.18), "deadline": .from(row.19),
        ]
    }

    /// Status, timestamps, shard statuses and host counts from the collector's tables.
    @Sendable func get(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let uuid = try context.jobUUID()
        let logger = context.logger
        var job: JSONValue?
        var launchedAt: Date?
        var endedAt: Date?
        for try await row in try await services.postgres.query(
            "SELECT \(unescaped: Self.columns) FROM jobs WHERE uuid = \(uuid)", logger: logger
        ).decode(Row.self) {
            job = Self.json(row)
            launchedAt = row.15
            endedAt = row.17
        }
        guard case .object(var object) = job else { throw APIError.notFound("job", id: uuid.uuidString.lowercased()) }
        var shards: [JSONValue] = []
        var firstStart: Date?
        var lastFinish: Date?
        for try await (index, hostCount, status, attempts, runID, attempt, rc, reason, startedAt, finishedAt, workerID, strategy, timings)
            in try await services.postgres.query(
                """
                SELECT s.shard_index, cardinality(s.hosts), s.status, s.attempts, s.current_run_id, s.current_attempt, s.rc, s.reason,
                       s.started_at, s.finished_at, r.worker_id, e.payload -> 'data' ->> 'strategy', (e.payload -> 'data' -> 'timings')::text
                FROM shards s
                LEFT JOIN shard_runs r ON r.run_id = s.current_run_id
                LEFT JOIN LATERAL (
                    SELECT payload FROM events
                    WHERE run_id = s.current_run_id AND job_uuid = s.job_uuid
                      AND type IN ('shard_finished', 'shard_error', 'shard_canceled')
                    LIMIT 1
                ) e ON true
                WHERE s.job_uuid = \(uuid) ORDER BY s.shard_index
                """,
                logger: logger
            ).decode((Int, Int, String, Int, UUID?, Int?, Int?, String?, Date?, Date?, String?, String?, String?).self)
        {
            shards.append([
                "index": .from(index), "host_count": .from(hostCount), "status": .string(status), "attempts": .from(attempts),
                "run_id": .from(runID), "attempt": .from(attempt), "rc": .from(rc), "reason": .from(reason), "started_at": .from(startedAt),
                "finished_at": .from(finishedAt), "worker_id": .from(workerID), "strategy": .from(strategy),
                "timings": timings.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) } ?? .null,
            ])
            if let startedAt { firstStart = min(firstStart ?? startedAt, startedAt) }
            if let finishedAt { lastFinish = max(lastFinish ?? finishedAt, finishedAt) }
        }
        var splitAt: Date?
        for try await timestamp in try await services.postgres.query(
            "SELECT created_at FROM events WHERE job_uuid = \(uuid) AND event_id = 'split'", logger: logger
        ).decode(Date.self) {
            splitAt = timestamp
        }
        object["timings"] = Self.timings(
            createdAt: launchedAt, splitAt: splitAt, firstStart: firstStart, lastFinish: lastFinish, finishedAt: endedAt)
        for try await (total, failed, unreachable, ok, changed) in try await services.postgres.query(
            """
            SELECT count(*)::int8, (count(*) FILTER (WHERE failures > 0))::int8, (count(*) FILTER (WHERE unreachable > 0))::int8,
                   (count(*) FILTER (WHERE failures = 0 AND unreachable = 0))::int8, (count(*) FILTER (WHERE changed > 0))::int8
            FROM host_summaries WHERE job_uuid = \(uuid)
            """,
            logger: logger
        ).decode((Int64, Int64, Int64, Int64, Int64).self) {
            object["hosts"] = [
                "summarized": .int(total), "ok": .int(ok), "failed": .int(failed), "unreachable": .int(unreachable), "changed": .int(changed),
            ]
        }
        object["shards"] = .array(shards)
        // Messages and events of the job the collector kept as dead letters (see docs/collector.md).
        for try await count in try await services.postgres.query(
            "SELECT count(*)::int8 FROM dead_letters WHERE job_uuid = \(uuid)", logger: logger
        ).decode(Int64.self) {
            object["dead_letters"] = .int(count)
        }
        return JSONResponse.make(value: .object(object))
    }

    /// Seconds from launch to split, split to the first shard's start, first start to last shard's end, and
    /// that end to the job's final status: where a whole job's time goes outside the playbook.
    static func timings(createdAt: Date?, splitAt: Date?, firstStart: Date?, lastFinish: Date?, finishedAt: Date?) -> JSONValue {
        var timings: [String: JSONValue] = [:]
        func gap(_ name: String, _ from: Date?, _ to: Date?) {
            if let from, let to { timings[name] = .double(max(0, to.timeIntervalSince(from))) }
        }
        gap("split", createdAt, splitAt)
        gap("first_shard_start", splitAt, firstStart)
        gap("shards", firstStart, lastFinish)
        gap("final", lastFinish, finishedAt)
        gap("total", createdAt, finishedAt)
        return .object(timings)
    }

    /// Newest first; `limit` (default 50, at most 500) and `cursor` (the `next` of the previous page);
    /// filters `status`, `env`, `app` (app id).
    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let limit = try request.queryInt("limit", default: 50, range: 1...500) ?? 50
        let cursor = try request.queryInt("cursor", range: 1...Int64.max)
        let status = request.queryString("status")
        if let status, JobStatus(rawValue: status) == nil {
            throw APIError(
                .badRequest, code: "invalid_parameter",
                message: "status must be one of \(JobStatus.allCases.map(\.rawValue).joined(separator: ", "))", field: "status"
            )
        }
        let env = request.queryString("env")
        let app = try request.queryInt("app", range: 1...Int64.max)
        let rows = try await services.postgres.query(
            """
            SELECT \(unescaped: Self.columns) FROM jobs
            WHERE (\(cursor)::int8 IS NULL OR id < \(cursor)) AND (\(status)::text IS NULL OR status = \(status))
              AND (\(env)::text IS NULL OR env = \(env)) AND (\(app)::int8 IS NULL OR app_id = \(app))
            ORDER BY id DESC LIMIT \(limit + 1)
            """,
            logger: context.logger
        )
        var jobs: [JSONValue] = []
        var lastID: Int64?
        var more = false
        for try await row in rows.decode(Row.self) {
            if jobs.count == Int(limit) {
                more = true
                break
            }
            jobs.append(Self.json(row))
            lastID = row.0
        }
        return JSONResponse.make(value: ["jobs": .array(jobs), "next": more ? .from(lastID.map(String.init)) : .null])
    }

    /// Cancels a job in any state that is not final (202 with the job's state; 409 when it is already finished).
    ///
    /// - A job whose message is still in the outbox is canceled at once: the row is deleted, nothing was sent.
    /// - A job with no shard running (not split yet, or its shards all queued, for instance on a pool no
    ///   worker serves) is canceled at once; the cancel control message makes workers acknowledge any of its
    ///   shards that still turns up without running it.
    /// - Otherwise `cancel_requested_at` is set and the control message goes to every worker; the collector
    ///   marks the job canceled when its running shards report, or after `collector.cancel_grace` at the latest.
    /// - Cancelling again sends the control message again (never two waiting in the outbox).
    @Sendable func cancel(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let uuid = try context.jobUUID()
        let logger = context.logger
        let jobMessageID = "job/\(uuid.uuidString.lowercased())"
        let row: Row
        do {
            row = try await services.postgres.withWatchedTransaction(logger: logger) { connection in
                var found: (status: String, shardCount: Int?, cancelRequested: Bool, running: Int)?
                for try await (status, shardCount, requested, running) in try await connection.query(
                    """
                    SELECT status, shard_count, cancel_requested_at IS NOT NULL,
                           (SELECT count(*)::integer FROM shards WHERE job_uuid = \(uuid) AND status = 'running')
                    FROM jobs WHERE uuid = \(uuid) FOR UPDATE
                    """,
                    logger: logger
                ).decode((String, Int?, Bool, Int).self) {
                    found = (status, shardCount, requested, running)
                }
                guard let found else { throw APIError.notFound("job", id: uuid.uuidString.lowercased()) }
                let status = JobStatus(rawValue: found.status) ?? .pending
                if status.isFinished {
                    throw APIError.conflict("job_finished", "job \(uuid.uuidString.lowercased()) is already \(status.rawValue)")
                }
                // The relay holds unpublished rows it is sending under FOR UPDATE: this waits for it, then finds
                // the row published and deletes nothing.
                var unsent = false
                for try await _ in try await connection.query(
                    "DELETE FROM outbox WHERE message_id = \(jobMessageID) AND published_at IS NULL RETURNING id", logger: logger
                ).decode(Int64.self) {
                    unsent = true
                }
                if unsent || found.running == 0 {
                    let reason =
                        unsent
                        ? "canceled before it was sent"
                        : found.shardCount == nil ? "canceled before it was split" : "canceled before any of its shards ran"
                    try await connection.query(
                        """
                        UPDATE jobs SET status = 'canceled', status_reason = \(reason), cancel_requested_at = COALESCE(cancel_requested_at, now()),
                            finished_at = now(), updated_at = now()
                        WHERE uuid = \(uuid)
                        """,
                        logger: logger
                    )
                } else if !found.cancelRequested {
                    try await connection.query(
                        "UPDATE jobs SET cancel_requested_at = now(), updated_at = now() WHERE uuid = \(uuid)", logger: logger
                    )
                }
                if !unsent {
                    try await connection.queueCancel(job: uuid, logger: logger)
                }
                for try await row in try await connection.query(
                    "SELECT \(unescaped: Self.columns) FROM jobs WHERE uuid = \(uuid)", logger: logger
                ).decode(Row.self) {
                    return row
                }
                throw APIError.notFound("job", id: uuid.uuidString.lowercased())
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
        await services.launcher.signal.notify()
        logger.info("job cancel requested", metadata: ["job.uuid": "\(uuid.uuidString.lowercased())", "job.status": "\(row.9)"])
        return JSONResponse.make(status: .accepted, value: Self.json(row))
    }
}
