import Foundation
import Shared

/// Jobs in a `GatewayMemoryStore`: launched with the same checks as in PostgreSQL, never split (no splitter
/// reads the memory outbox), so they stay pending until cancelled.
struct JobMemoryRepository: JobRepository {
    let store: GatewayMemoryStore
    /// Seconds within which a job that sets no `deadline` must end (`job_deadline`).
    var defaultDeadline: Int = 86_400

    func launch(_ launch: JobLaunch) async throws -> (job: LaunchedJob, replayed: Bool) {
        try store.update { tables in try Self.launch(launch, defaultDeadline: defaultDeadline, in: &tables) }
    }

    func launchAll(_ launches: [JobLaunch]) async throws -> [(job: LaunchedJob, replayed: Bool)] {
        try store.update { tables in try launches.map { try Self.launch($0, defaultDeadline: defaultDeadline, in: &tables) } }
    }

    private static func launch(
        _ launch: JobLaunch, defaultDeadline: Int, in tables: inout GatewayMemoryStore.Tables
    ) throws -> (job: LaunchedJob, replayed: Bool) {
        let options = String(decoding: try MessageCoding.encode(launch.options), as: UTF8.self)
        if let key = launch.idempotencyKey, let id = tables.jobKeys[key], let existing = tables.jobs[id] {
            let same =
                existing.env == launch.env && existing.playbookID == launch.playbookID && existing.inventoryID == launch.inventoryID
                && existing.appID == launch.appID && existing.options == options
                && (launch.credentialID == nil || existing.credentialID == launch.credentialID)
            guard same else {
                throw APIError(
                    .unprocessableContent, code: "idempotency_key_reused",
                    message: "the Idempotency-Key '\(key)' was used for a different request (job \(existing.uuid.uuidString.lowercased()))"
                )
            }
            return (LaunchedJob(existing), true)
        }
        guard let playbook = tables.playbooks[launch.playbookID] else {
            throw APIError(.notFound, code: "not_found", message: "playbook \(launch.playbookID) does not exist", field: "playbook_id")
        }
        guard let inventory = tables.inventories[launch.inventoryID] else {
            throw APIError(.notFound, code: "not_found", message: "inventory \(launch.inventoryID) does not exist", field: "inventory_id")
        }
        guard inventory.env == launch.env else {
            throw APIError(
                .badRequest, code: "env_mismatch", message: "inventory \(inventory.id) belongs to env '\(inventory.env)', not '\(launch.env)'",
                field: "env"
            )
        }
        let credentialID = launch.credentialID ?? playbook.credentialID
        if let credentialID {
            guard let credential = tables.credentials[credentialID] else {
                throw APIError(.notFound, code: "not_found", message: "credential \(credentialID) does not exist", field: "credential_id")
            }
            try Credential.requireUsable(id: credentialID, envs: credential.envs, by: launch.env)
        }
        let now = Date()
        let job = Job(
            id: tables.nextID("jobs"), uuid: UUID(), env: launch.env, playbookID: launch.playbookID, inventoryID: launch.inventoryID,
            inventoryVersion: inventory.version, appID: launch.appID, credentialID: credentialID, options: options,
            status: JobStatus.pending.rawValue, createdAt: now, updatedAt: now,
            deadlineAt: now.addingTimeInterval(TimeInterval(launch.options.deadline ?? defaultDeadline)), scheduleID: launch.scheduleID
        )
        tables.jobs[job.id] = job
        if let key = launch.idempotencyKey { tables.jobKeys[key] = job.id }
        tables.outbox.append("job/\(job.uuid.uuidString.lowercased())")
        return (LaunchedJob(job), false)
    }

    /// Jobs here never split, so which hosts they would have run is unknown: a relaunch keeps the job's `limit`.
    func relaunch(uuid: UUID, hosts: RelaunchHosts) async throws -> LaunchedJob {
        try store.update { tables in
            guard let original = tables.jobs.values.first(where: { $0.uuid == uuid }) else {
                throw APIError.notFound("job", id: uuid.uuidString.lowercased())
            }
            var (job, _) = try Self.launch(try JobLaunch.relaunching(original, hosts: nil), defaultDeadline: defaultDeadline, in: &tables)
            tables.jobs[job.id]?.relaunchOf = uuid
            job.relaunchOf = uuid
            return job
        }
    }

    func details(uuid: UUID) async throws -> JobDetails? {
        store.read { tables in
            tables.jobs.values.first { $0.uuid == uuid }.map {
                JobDetails(
                    job: $0, shards: [], splitAt: nil, hosts: .init(summarized: 0, ok: 0, failed: 0, unreachable: 0, changed: 0), deadLetters: 0)
            }
        }
    }

    func env(uuid: UUID) async throws -> String? {
        store.read { tables in tables.jobs.values.first { $0.uuid == uuid }?.env }
    }

    func list(_ query: JobQuery) async throws -> [Job] {
        store.read { tables in
            Array(
                tables.jobs.values.filter { job in
                    (query.cursor.map { job.id < $0 } ?? true) && (query.status.map { job.status == $0 } ?? true)
                        && (query.env.map { job.env == $0 } ?? true) && (query.appID.map { job.appID == $0 } ?? true)
                        && (query.envs.map { $0.contains(job.env) } ?? true)
                }
                .sorted { $0.id > $1.id }.prefix(Int(query.limit))
            )
        }
    }

    /// As in PostgreSQL; a job's message is never sent here, so a cancel always finds it in the outbox.
    func cancel(uuid: UUID) async throws -> Job {
        try store.update { tables in
            guard var job = tables.jobs.values.first(where: { $0.uuid == uuid }) else {
                throw APIError.notFound("job", id: uuid.uuidString.lowercased())
            }
            let status = JobStatus(rawValue: job.status) ?? .pending
            if status.isFinished {
                throw APIError.conflict("job_finished", "job \(uuid.uuidString.lowercased()) is already \(status.rawValue)")
            }
            let messageID = "job/\(uuid.uuidString.lowercased())"
            let unsent = tables.outbox.contains(messageID)
            tables.outbox.removeAll { $0 == messageID }
            let now = Date()
            job.status = JobStatus.canceled.rawValue
            job.statusReason = unsent ? "canceled before it was sent" : "canceled before it was split"
            job.cancelRequestedAt = job.cancelRequestedAt ?? now
            job.finishedAt = now
            job.updatedAt = now
            tables.jobs[job.id] = job
            return job
        }
    }
}

extension LaunchedJob {
    init(_ job: Job) {
        self.init(id: job.id, uuid: job.uuid, env: job.env, playbookID: job.playbookID, inventoryID: job.inventoryID, status: job.status)
    }
}
