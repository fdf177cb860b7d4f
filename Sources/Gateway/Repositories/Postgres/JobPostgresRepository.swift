import Foundation
import Logging
import PostgresNIO
import Shared

/// Jobs in `jobs`, with what the collector stored about them. A launch is one statement that inserts the job
/// and its outbox row together, so a job answered 201 is in PostgreSQL with its message, which the
/// `OutboxRelay` publishes whenever the broker is reachable; `signal` wakes the relay.
struct JobPostgresRepository: JobRepository {
    let client: PostgresClient
    let signal: OutboxSignal
    /// Seconds within which a job that sets no `deadline` must end (`job_deadline`).
    var defaultDeadline: Int = 86_400
    let logger: Logger

    func launch(_ launch: JobLaunch) async throws -> (job: LaunchedJob, replayed: Bool) {
        let logger = self.logger
        let defaultDeadline = self.defaultDeadline
        let result = try await client.withConnection { connection in
            try await Self.launch(launch, defaultDeadline: defaultDeadline, on: connection, logger: logger)
        }
        if !result.replayed {
            await signal.notify()
            logger.info("job accepted", metadata: ["job.uuid": "\(result.job.uuid.uuidString.lowercased())", "job.id": "\(result.job.id)"])
        }
        return result
    }

    /// In one transaction.
    func launchAll(_ launches: [JobLaunch]) async throws -> [(job: LaunchedJob, replayed: Bool)] {
        let logger = self.logger
        let defaultDeadline = self.defaultDeadline
        let results: [(job: LaunchedJob, replayed: Bool)]
        do {
            results = try await client.withWatchedTransaction(logger: logger) { connection in
                var results: [(job: LaunchedJob, replayed: Bool)] = []
                for launch in launches {
                    results.append(try await Self.launch(launch, defaultDeadline: defaultDeadline, on: connection, logger: logger))
                }
                return results
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
        if results.contains(where: { !$0.replayed }) {
            await signal.notify()
        }
        return results
    }

    func details(uuid: UUID) async throws -> JobDetails? {
        let logger = self.logger
        guard let job = try await client.record("SELECT \(unescaped: Job.columns) FROM jobs WHERE uuid = \(uuid)", logger: logger, Job.init(row:))
        else { return nil }
        let shards = try await client.records(
            """
            SELECT s.shard_index, cardinality(s.hosts) AS host_count, s.status, s.attempts, s.current_run_id, s.current_attempt, s.rc,
                   s.reason, s.started_at, s.finished_at, r.worker_id, e.payload -> 'data' ->> 'strategy' AS strategy,
                   (e.payload -> 'data' -> 'timings')::text AS timings
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
        ) { row in
            try row.columns { c in
                JobDetails.ShardState(
                    index: try c("shard_index"), hostCount: try c("host_count"), status: try c("status"), attempts: try c("attempts"),
                    runID: try c("current_run_id"), attempt: try c("current_attempt"), rc: try c("rc"), reason: try c("reason"),
                    startedAt: try c("started_at"), finishedAt: try c("finished_at"), workerID: try c("worker_id"), strategy: try c("strategy"),
                    timings: try c("timings")
                )
            }
        }
        let splitAt = try await client.records(
            "SELECT created_at FROM events WHERE job_uuid = \(uuid) AND event_id = 'split'", logger: logger
        ) { row in try row.columns { c in try c("created_at", as: Date.self) } }.last
        let hosts = try await client.record(
            """
            SELECT count(*)::int8 AS summarized, (count(*) FILTER (WHERE failures > 0))::int8 AS failed,
                   (count(*) FILTER (WHERE unreachable > 0))::int8 AS unreachable,
                   (count(*) FILTER (WHERE failures = 0 AND unreachable = 0))::int8 AS ok, (count(*) FILTER (WHERE changed > 0))::int8 AS changed
            FROM host_summaries WHERE job_uuid = \(uuid)
            """,
            logger: logger
        ) { row in
            try row.columns { c in
                JobDetails.HostCounts(
                    summarized: try c("summarized"), ok: try c("ok"), failed: try c("failed"), unreachable: try c("unreachable"),
                    changed: try c("changed"))
            }
        }
        // Messages and events of the job the collector kept as dead letters (see docs/collector.md).
        let deadLetters = try await client.record(
            "SELECT count(*)::int8 AS count FROM dead_letters WHERE job_uuid = \(uuid)", logger: logger
        ) { row in try row.columns { c in try c("count", as: Int64.self) } }
        return JobDetails(
            job: job, shards: shards, splitAt: splitAt, hosts: hosts ?? .init(summarized: 0, ok: 0, failed: 0, unreachable: 0, changed: 0),
            deadLetters: deadLetters ?? 0
        )
    }

    func env(uuid: UUID) async throws -> String? {
        try await client.record("SELECT env FROM jobs WHERE uuid = \(uuid)", logger: logger) { row in try row.decode(String.self) }
    }

    func list(_ query: JobQuery) async throws -> [Job] {
        try await client.records(
            """
            SELECT \(unescaped: Job.columns) FROM jobs
            WHERE (\(query.cursor)::int8 IS NULL OR id < \(query.cursor)) AND (\(query.status)::text IS NULL OR status = \(query.status))
              AND (\(query.env)::text IS NULL OR env = \(query.env)) AND (\(query.appID)::int8 IS NULL OR app_id = \(query.appID))
              AND (\(query.envs)::text[] IS NULL OR env = ANY(\(query.envs)))
            ORDER BY id DESC LIMIT \(query.limit)
            """,
            logger: logger, Job.init(row:)
        )
    }

    /// - A job whose message is still in the outbox is canceled at once: the row is deleted, nothing was sent.
    /// - A job with no shard running (not split yet, or its shards all queued, for instance on a pool no
    ///   worker serves) is canceled at once; the cancel control message makes workers acknowledge any of its
    ///   shards that still turns up without running it.
    /// - Otherwise `cancel_requested_at` is set and the control message goes to every worker; the collector
    ///   marks the job canceled when its running shards report, or after `collector.cancel_grace` at the latest.
    /// - Cancelling again sends the control message again (never two waiting in the outbox).
    func cancel(uuid: UUID) async throws -> Job {
        let logger = self.logger
        let jobMessageID = "job/\(uuid.uuidString.lowercased())"
        let job: Job
        do {
            job = try await client.withWatchedTransaction(logger: logger) { connection in
                let found = try await connection.records(
                    """
                    SELECT status, shard_count, cancel_requested_at IS NOT NULL AS cancel_requested,
                           (SELECT count(*)::integer FROM shards WHERE job_uuid = \(uuid) AND status = 'running') AS running
                    FROM jobs WHERE uuid = \(uuid) FOR UPDATE
                    """,
                    logger: logger
                ) { row in
                    try row.columns { c in
                        (
                            status: try c("status", as: String.self), shardCount: try c("shard_count", as: Int?.self),
                            cancelRequested: try c("cancel_requested", as: Bool.self), running: try c("running", as: Int.self)
                        )
                    }
                }.last
                guard let found else { throw APIError.notFound("job", id: uuid.uuidString.lowercased()) }
                let status = JobStatus(rawValue: found.status) ?? .pending
                if status.isFinished {
                    throw APIError.conflict("job_finished", "job \(uuid.uuidString.lowercased()) is already \(status.rawValue)")
                }
                // The relay holds unpublished rows it is sending under FOR UPDATE: this waits for it, then finds
                // the row published and deletes nothing.
                let unsent = try await !connection.records(
                    "DELETE FROM outbox WHERE message_id = \(jobMessageID) AND published_at IS NULL RETURNING id", logger: logger
                ) { _ in true }.isEmpty
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
                guard
                    let job = try await connection.records(
                        "SELECT \(unescaped: Job.columns) FROM jobs WHERE uuid = \(uuid)", logger: logger, Job.init(row:)
                    ).first
                else { throw APIError.notFound("job", id: uuid.uuidString.lowercased()) }
                return job
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
        await signal.notify()
        return job
    }

    static func launch(
        _ launch: JobLaunch, defaultDeadline: Int, on connection: PostgresConnection, logger: Logger
    ) async throws -> (job: LaunchedJob, replayed: Bool) {
        if let key = launch.idempotencyKey, let existing = try await existingJob(key: key, launch: launch, on: connection, logger: logger) {
            return (existing, true)
        }
        let resolved = try await resolve(launch, on: connection, logger: logger)
        let uuid = UUID()
        let createdAt = Date()
        let deadline = createdAt.addingTimeInterval(TimeInterval(launch.options.deadline ?? defaultDeadline))
        let message = JobMessage(
            jobUUID: uuid, jobID: resolved.jobID, env: launch.env, playbook: resolved.playbook, inventory: resolved.inventory,
            options: launch.options, credential: resolved.credential, createdAt: createdAt, deadline: deadline
        )
        let body = try MessageCoding.encode(message)
        let options = String(decoding: try MessageCoding.encode(launch.options), as: UTF8.self)
        let rows = try await connection.query(
            """
            WITH job AS (
                INSERT INTO jobs (id, uuid, env, playbook_id, inventory_id, inventory_version, app_id, credential_id, options,
                                  idempotency_key, created_at, updated_at, deadline_at, relaunch_of, schedule_id)
                VALUES (\(resolved.jobID), \(uuid), \(launch.env), \(launch.playbookID), \(launch.inventoryID),
                        \(resolved.inventory.version), \(launch.appID), \(resolved.credential?.id), \(options)::jsonb,
                        \(launch.idempotencyKey), \(createdAt), \(createdAt), \(deadline), \(launch.relaunch?.of),
                        \(launch.scheduleID))
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING id
            )
            INSERT INTO outbox (exchange, routing_key, message_id, body)
            SELECT \(Topology.jobsExchange), \(Topology.jobsRoutingKey), \(message.messageID), \(ByteBuffer(bytes: body)) FROM job
            RETURNING id
            """,
            logger: logger
        )
        var inserted = false
        for try await _ in rows.decode(Int64.self) { inserted = true }
        if !inserted, let key = launch.idempotencyKey {
            // A concurrent request with the same key won the insert.
            if let existing = try await existingJob(key: key, launch: launch, on: connection, logger: logger) {
                return (existing, true)
            }
        }
        let job = LaunchedJob(
            id: resolved.jobID, uuid: uuid, env: launch.env, playbookID: launch.playbookID, inventoryID: launch.inventoryID,
            status: JobStatus.pending.rawValue, relaunchOf: launch.relaunch?.of
        )
        return (job, false)
    }

    private struct Resolved {
        var jobID: Int64
        var playbook: PlaybookSpec
        var inventory: InventorySpec
        var credential: SealedCredential?
    }

    private static func resolve(_ launch: JobLaunch, on connection: PostgresConnection, logger: Logger) async throws -> Resolved {
        let found = try await connection.records(
            """
            SELECT \(unescaped: Playbook.columns.prefixed("p", as: "playbook_")),
                   \(unescaped: InventoryRecord.columns.prefixed("i", as: "inventory_")),
                   nextval(pg_get_serial_sequence('jobs', 'id')) AS job_id
            FROM (SELECT 1) AS one
            LEFT JOIN playbooks p ON p.id = \(launch.playbookID)
            LEFT JOIN inventories i ON i.id = \(launch.inventoryID)
            """,
            logger: logger
        ) { row in
            try row.columns { c in
                (
                    playbook: try c("playbook_id", as: Int64?.self) == nil ? nil : try Playbook(columns: c, prefix: "playbook_"),
                    inventory: try c("inventory_id", as: Int64?.self) == nil ? nil : try InventoryRecord(columns: c, prefix: "inventory_"),
                    jobID: try c("job_id", as: Int64.self)
                )
            }
        }.last
        guard let found else { throw APIError(.internalServerError, code: "internal", message: "could not allocate a job id") }
        guard let playbook = found.playbook else {
            throw APIError(.notFound, code: "not_found", message: "playbook \(launch.playbookID) does not exist", field: "playbook_id")
        }
        guard let inventory = found.inventory else {
            throw APIError(.notFound, code: "not_found", message: "inventory \(launch.inventoryID) does not exist", field: "inventory_id")
        }
        let (inventoryID, inventoryEnv) = (inventory.id, inventory.env)
        guard inventoryEnv == launch.env else {
            throw APIError(
                .badRequest, code: "env_mismatch",
                message: "inventory \(inventoryID) belongs to env '\(inventoryEnv)', not '\(launch.env)'", field: "env"
            )
        }
        // A relaunch runs what its job ran: the commit that job's split pinned, and its inventory version.
        let playbookSpec = PlaybookSpec(
            id: playbook.id, name: playbook.name, gitRepo: playbook.gitRepo, entry: playbook.entry, ref: playbook.ref, commit: launch.relaunch?.commit
        )
        var inventorySpec = InventorySpec(
            id: inventory.id, name: inventory.name, env: inventory.env, version: inventory.version, hosts: inventory.hosts, vars: inventory.vars)
        if let version = launch.relaunch?.inventoryVersion, version != inventory.version {
            let old = try await connection.records(
                "SELECT hosts, vars FROM inventory_versions WHERE inventory_id = \(inventory.id) AND version = \(version)", logger: logger
            ) { row in try row.columns { c in (hosts: try c("hosts", as: String.self), vars: try c("vars", as: String?.self)) } }.last
            guard let old else {
                throw APIError.conflict("reference_gone", "inventory \(inventory.id) no longer has version '\(version)'")
            }
            inventorySpec.version = version
            inventorySpec.hosts = old.hosts
            inventorySpec.vars = old.vars
        }
        var credential: SealedCredential?
        if let credentialID = launch.credentialID ?? playbook.credentialID {
            let credentialRows = try await connection.query(
                "SELECT id, name, sealed, envs FROM credentials WHERE id = \(credentialID)",
                logger: logger
            )
            for try await row in credentialRows {
                let envs = try row.columns { c in try c("envs", as: [String]?.self) }
                try Credential.requireUsable(id: credentialID, envs: envs, by: launch.env)
                credential = try row.columns { c in
                    SealedCredential(
                        id: try c("id"), name: try c("name"),
                        sealed: Data(try c("sealed", as: ByteBuffer.self).readableBytesView).base64EncodedString())
                }
            }
            guard credential != nil else {
                throw APIError(.notFound, code: "not_found", message: "credential \(credentialID) does not exist", field: "credential_id")
            }
        }
        return Resolved(jobID: found.jobID, playbook: playbookSpec, inventory: inventorySpec, credential: credential)
    }

    /// The job launched earlier with `key`, if any; refuses a key reused for a different request.
    private static func existingJob(key: String, launch: JobLaunch, on connection: PostgresConnection, logger: Logger) async throws -> LaunchedJob? {
        let options = String(decoding: try MessageCoding.encode(launch.options), as: UTF8.self)
        let rows = try await connection.query(
            """
            SELECT id, uuid, env, playbook_id, inventory_id, status,
                   (env = \(launch.env) AND playbook_id IS NOT DISTINCT FROM \(launch.playbookID)
                    AND inventory_id IS NOT DISTINCT FROM \(launch.inventoryID) AND app_id IS NOT DISTINCT FROM \(launch.appID)
                    AND options = \(options)::jsonb
                    AND (\(launch.credentialID)::bigint IS NULL OR credential_id IS NOT DISTINCT FROM \(launch.credentialID)::bigint)) AS same
            FROM jobs WHERE idempotency_key = \(key)
            """,
            logger: logger
        )
        for try await row in rows {
            let (job, same) = try row.columns { c in
                (
                    LaunchedJob(
                        id: try c("id"), uuid: try c("uuid"), env: try c("env"), playbookID: try c("playbook_id"), inventoryID: try c("inventory_id"),
                        status: try c("status")
                    ),
                    try c("same", as: Bool.self)
                )
            }
            guard same else {
                throw APIError(
                    .unprocessableContent, code: "idempotency_key_reused",
                    message: "the Idempotency-Key '\(key)' was used for a different request (job \(job.uuid.uuidString.lowercased()))"
                )
            }
            return job
        }
        return nil
    }
}
