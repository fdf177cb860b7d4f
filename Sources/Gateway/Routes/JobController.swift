import Foundation
import Hummingbird
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
        let (job, replayed) = try await services.jobs.launch(launch)
        return JSONResponse.make(status: .created, encodable: job, headers: replayed ? [.idempotentReplayed: "true"] : [:])
    }

    static func idempotencyKey(_ request: Request) throws(APIError) -> String? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard !key.isEmpty, key.count <= 255 else {
            throw APIError(.badRequest, code: "invalid_header", message: "Idempotency-Key must be 1 to 255 characters", field: "Idempotency-Key")
        }
        return key
    }

    /// Status, timestamps, shard statuses and host counts from the collector's tables.
    @Sendable func get(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let uuid = try context.jobUUID()
        guard let details = try await services.jobs.details(uuid: uuid) else { throw APIError.notFound("job", id: uuid.uuidString.lowercased()) }
        return JSONResponse.make(value: details.json)
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
        let jobs = try await services.jobs.list(JobQuery(cursor: cursor, status: status, env: env, appID: app, limit: limit + 1))
        let more = jobs.count > Int(limit)
        let page = jobs.prefix(Int(limit))
        let lastID = page.last?.id
        return JSONResponse.make(value: ["jobs": .array(page.map(\.json)), "next": more ? .from(lastID.map(String.init)) : .null])
    }

    /// Cancels a job in any state that is not final (202 with the job's state; 409 when it is already finished).
    /// See `JobPostgresRepository.cancel` for what happens to its messages and shards.
    @Sendable func cancel(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let uuid = try context.jobUUID()
        let job = try await services.jobs.cancel(uuid: uuid)
        context.logger.info("job cancel requested", metadata: ["job.uuid": "\(uuid.uuidString.lowercased())", "job.status": "\(job.status)"])
        return JSONResponse.make(status: .accepted, value: job.json)
    }
}
