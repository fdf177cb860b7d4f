import Foundation

/// Jobs: launched with their outbox rows, inspected, listed, cancelled.
protocol JobRepository: Sendable {
    /// Launches one job. With an idempotency key already used by an identical request, returns that job
    /// (`replayed` true); by a different request, throws 422 `idempotency_key_reused`.
    func launch(_ launch: JobLaunch) async throws -> (job: LaunchedJob, replayed: Bool)
    /// Launches several jobs: all are accepted or none.
    func launchAll(_ launches: [JobLaunch]) async throws -> [(job: LaunchedJob, replayed: Bool)]
    /// The job with its shards, hosts and dead letters, or nil.
    func details(uuid: UUID) async throws -> JobDetails?
    /// The job's environment, or nil when there is no such job.
    func env(uuid: UUID) async throws -> String?
    /// Newest first.
    func list(_ query: JobQuery) async throws -> [Job]
    /// Cancels a job that is not final (see `GatewayAPI.cancelJob`): 404 without it, 409 `job_finished` once it ended.
    func cancel(uuid: UUID) async throws -> Job
    /// Launches a finished job again, at the same commit and inventory version with the same options, limited
    /// to exactly its `hosts`: 404 without it, 409 `job_not_finished` while it runs, 409 `nothing_to_relaunch`
    /// when no host qualifies.
    func relaunch(uuid: UUID, hosts: RelaunchHosts) async throws -> LaunchedJob
}
