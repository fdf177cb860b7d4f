import Foundation
import Hummingbird
import OpenAPIRuntime
import Shared

/// `/api/v1/job`: launch (the seed's request and answer), inspect, list and cancel jobs, and read a job's log.
/// Reading needs a viewer, launching, cancelling and relaunching an operator, always within the job's env.
extension GatewayAPI {
    func launchJob(_ input: Operations.LaunchJob.Input) async throws -> Operations.LaunchJob.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        let principal = try require(.operator)
        let launch = try JobLaunch(request: body, idempotencyKey: try Self.idempotencyKey(input.headers.idempotencyKey))
        audit(env: launch.env)
        try principal.requireScope(env: launch.env, field: "env")
        let (job, replayed) = try await services.jobs.launch(launch)
        audit(resourceID: job.uuid.uuidString.lowercased())
        return .created(.init(headers: .init(idempotentReplayed: replayed ? ._true : nil), body: .json(job)))
    }

    /// Newest first; `limit` (default 50, at most 500) and `cursor` (the `next` of the previous page);
    /// filters `status`, `env`, `app` (app id).
    func listJobs(_ input: Operations.ListJobs.Input) async throws -> Operations.ListJobs.Output {
        let scope = try require(.viewer).envs.map { $0.sorted() }
        let query = input.query
        let limit = try Self.parameter(query.limit, name: "limit", range: 1...500) ?? 50
        let jobs = try await services.jobs.list(
            JobQuery(
                cursor: try Self.parameter(query.cursor, name: "cursor", range: 1...Int64.max), status: query.status?.rawValue,
                env: Self.unlessBlank(query.env, trimming: []), appID: try Self.parameter(query.app, name: "app", range: 1...Int64.max),
                limit: limit + 1, envs: scope
            )
        )
        return .ok(.init(body: .json(ResourcePage(fetched: jobs, limit: limit, id: \.id, view: JobView.init))))
    }

    /// Status, timestamps, shard statuses and host counts from the collector's tables.
    func getJob(_ input: Operations.GetJob.Input) async throws -> Operations.GetJob.Output {
        try require(.viewer)
        let uuid = try Self.uuid(input.path.uuid)
        try await requireJob(uuid)
        guard let details = try await services.jobs.details(uuid: uuid) else { throw APIError.notFound("job", id: uuid.uuidString.lowercased()) }
        let progress = services.progressBase.map { "\($0)/api/v1/job/progress/\(uuid.uuidString.lowercased())" }
        return .ok(.init(body: .json(JobView(details, progressURL: progress))))
    }

    /// Cancels a job in any state that is not final (202 with the job's state; 409 when it is already finished).
    /// See `JobPostgresRepository.cancel` for what happens to its messages and shards.
    func cancelJob(_ input: Operations.CancelJob.Input) async throws -> Operations.CancelJob.Output {
        try require(.operator)
        let uuid = try Self.uuid(input.path.uuid)
        try await requireJob(uuid)
        let job = try await services.jobs.cancel(uuid: uuid)
        logger.info("job cancel requested", metadata: ["job.uuid": "\(uuid.uuidString.lowercased())", "job.status": "\(job.status)"])
        return .accepted(.init(body: .json(JobView(job))))
    }

    /// A new job at the same commit and inventory version with the same options, limited to the job's failed
    /// hosts (the default) or all of them; see `JobRepository.relaunch`.
    func relaunchJob(_ input: Operations.RelaunchJob.Input) async throws -> Operations.RelaunchJob.Output {
        try require(.operator)
        let uuid = try Self.uuid(input.path.uuid)
        try await requireJob(uuid)
        let body =
            switch input.body {
            case .json(let body): body
            }
        let hosts: RelaunchHosts = body.hosts == .all ? .all : .failed
        let relaunched = try await services.jobs.relaunch(uuid: uuid, hosts: hosts)
        logger.info(
            "job relaunched",
            metadata: ["job.uuid": "\(uuid.uuidString.lowercased())", "job.relaunch": "\(relaunched.uuid.uuidString.lowercased())"]
        )
        return .created(.init(body: .json(relaunched)))
    }

    /// The merged log (`MergedLog`), or with `shard` that shard's own log as its `ansible-playbook` printed it.
    func jobStdout(_ input: Operations.JobStdout.Input) async throws -> Operations.JobStdout.Output {
        try require(.viewer)
        let uuid = try Self.uuid(input.path.uuid)
        let shard = try Self.parameter(input.query.shard, name: "shard", range: 0...Int64(Int32.max)).map(Int.init)
        try await requireJob(uuid)
        let chunks = try await services.results.log(uuid: uuid, shard: shard)
        let text = shard == nil ? MergedLog.render(chunks) : chunks.map(\.text).joined()
        return .ok(.init(body: .plainText(HTTPBody(text))))
    }
}
