import Foundation
import Logging
import PostgresNIO
import Shared

/// Accepts jobs: one statement inserts the job and its outbox row together, so a job answered 201 is in
/// PostgreSQL with its message, which the `OutboxRelay` publishes whenever the broker is reachable.
struct JobLauncher: Sendable {
    let postgres: PostgresClient
    let signal: OutboxSignal
    /// Seconds within which a job that sets no `deadline` must end (`job_deadline`).
    var defaultDeadline: Int = 86_400

    /// Launches one job. With an idempotency key already used by an identical request, returns that job
    /// (`replayed` true); by a different request, throws 422 `idempotency_key_reused`.
    func launch(_ launch: JobLaunch, logger: Logger) async throws -> (job: LaunchedJob, replayed: Bool) {
        let result = try await postgres.withConnection { connection in
            try await Self.launch(launch, defaultDeadline: defaultDeadline, on: connection, logger: logger)
        }
        if !result.replayed {
            await signal.notify()
            logger.info("job accepted", metadata: ["job.uuid": "\(result.job.uuid.uuidString.lowercased())", "job.id": "\(result.job.id)"])
        }
        return result
    }

    /// Launches several jobs in one transaction: all are accepted or none.
    func launchAll(_ launches: [JobLaunch], logger: Logger) async throws -> [(job: LaunchedJob, replayed: Bool)] {
        let results: [(job: LaunchedJob, replayed: Bool)]
        do {
            results = try await postgres.withWatchedTransaction(logger: logger) { connection in
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
                                  idempotency_key, created_at, updated_at, deadline_at)
                VALUES (\(resolved.jobID), \(uuid), \(launch.env), \(launch.playbookID), \(launch.inventoryID),
                        \(resolved.inventory.version), \(launch.appID), \(resolved.credential?.id), \(options)::jsonb,
                        \(launch.idempotencyKey), \(createdAt), \(createdAt), \(deadline))
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
            status: JobStatus.pending.rawValue
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
        let rows = try await connection.query(
            """
            SELECT p.id, p.name, p.git_repo, p.entry, p.ref, p.credential_id,
                   i.id, i.name, i.env, i.version, i.hosts, i.vars,
                   nextval(pg_get_serial_sequence('jobs', 'id'))
            FROM (SELECT 1) AS one
            LEFT JOIN playbooks p ON p.id = \(launch.playbookID)
            LEFT JOIN inventories i ON i.id = \(launch.inventoryID)
            """,
            logger: logger
        )
        typealias Row = (Int64?, String?, String?, String?, String?, Int64?, Int64?, String?, String?, String?, String?, String?, Int64)
        var found: Row?
        for try await row in rows.decode(Row.self) { found = row }
        guard let row = found else { throw APIError(.internalServerError, code: "internal", message: "could not allocate a job id") }
        guard let playbookID = row.0, let playbookName = row.1, let gitRepo = row.2, let entry = row.3 else {
            throw APIError(.notFound, code: "not_found", message: "playbook \(launch.playbookID) does not exist", field: "playbook_id")
        }
        guard let inventoryID = row.6, let inventoryName = row.7, let inventoryEnv = row.8, let version = row.9, let hosts = row.10 else {
            throw APIError(.notFound, code: "not_found", message: "inventory \(launch.inventoryID) does not exist", field: "inventory_id")
        }
        guard inventoryEnv == launch.env else {
            throw APIError(
                .badRequest, code: "env_mismatch",
                message: "inventory \(inventoryID) belongs to env '\(inventoryEnv)', not '\(launch.env)'", field: "env"
            )
        }
        let playbook = PlaybookSpec(id: playbookID, name: playbookName, gitRepo: gitRepo, entry: entry, ref: row.4)
        let inventory = InventorySpec(id: inventoryID, name: inventoryName, env: inventoryEnv, version: version, hosts: hosts, vars: row.11)
        var credential: SealedCredential?
        if let credentialID = launch.credentialID ?? row.5 {
            let credentialRows = try await connection.query(
                "SELECT id, name, sealed FROM credentials WHERE id = \(credentialID)",
                logger: logger
            )
            for try await (id, name, sealed) in credentialRows.decode((Int64, String, ByteBuffer).self) {
                credential = SealedCredential(id: id, name: name, sealed: Data(sealed.readableBytesView).base64EncodedString())
            }
            guard credential != nil else {
                throw APIError(.notFound, code: "not_found", message: "credential \(credentialID) does not exist", field: "credential_id")
            }
        }
        return Resolved(jobID: row.12, playbook: playbook, inventory: inventory, credential: credential)
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
                    AND (\(launch.credentialID)::bigint IS NULL OR credential_id IS NOT DISTINCT FROM \(launch.credentialID)::bigint))
            FROM jobs WHERE idempotency_key = \(key)
            """,
            logger: logger
        )
        for try await (id, uuid, env, playbookID, inventoryID, status, same) in rows.decode((Int64, UUID, String, Int64?, Int64?, String, Bool).self)
        {
            guard same else {
                throw APIError(
                    .unprocessableContent, code: "idempotency_key_reused",
                    message: "the Idempotency-Key '\(key)' was used for a different request (job \(uuid.uuidString.lowercased()))"
                )
            }
            return LaunchedJob(id: id, uuid: uuid, env: env, playbookID: playbookID, inventoryID: inventoryID, status: status)
        }
        return nil
    }
}
