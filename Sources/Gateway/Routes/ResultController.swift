import Foundation
import Hummingbird
import Shared

/// What the collector stored about a job: the seed's per-host result, the events, the rebuilt output.
struct ResultController {
    let services: GatewayServices

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.get("/api/v1/job/result/:uuid", use: result)
        router.get("/api/v1/job/:uuid/events", use: events)
        router.get("/api/v1/job/:uuid/stdout", use: stdout)
    }

    private func requireJob(_ uuid: UUID) async throws {
        guard try await services.results.jobExists(uuid: uuid) else { throw APIError.notFound("job", id: uuid.uuidString.lowercased()) }
    }

    /// The seed's shape, keyed by host: `failures` (failed events of the current run of the host's shard, or
    /// null) and `stats` (the host summary, or null for a host of the job without one yet).
    @Sendable func result(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let uuid = try context.jobUUID()
        try await requireJob(uuid)
        let text = try await services.results.result(uuid: uuid)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Stored events in arrival order, each the stored event (the `PansibleEvent` JSON) with its `seq`,
    /// `shard_index`, `run_id` and `attempt`: `after` (a `seq`, the `next` of the previous page), `limit`
    /// (default 100, at most 1000), filters `host`, `type`, `failed`, `shard`.
    @Sendable func events(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let uuid = try context.jobUUID()
        let after = try request.queryInt("after", default: 0, range: 0...Int64.max) ?? 0
        let limit = try request.queryInt("limit", default: 100, range: 1...1000) ?? 100
        let query = EventQuery(
            after: after, limit: limit, host: request.queryString("host"), type: request.queryString("type"), failed: try request.queryBool("failed"),
            shard: try request.queryInt("shard", range: 0...Int64(Int32.max))
        )
        try await requireJob(uuid)
        let events = try await services.results.events(uuid: uuid, query)
        var text = #"{"events":["#
        text += events.map(\.payload).joined(separator: ",")
        let last = events.last?.seq ?? after
        text += #"],"next":\#(events.count == Int(limit) ? "\"\(last)\"" : "null")}"#
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The human-readable log: shard by shard in index order, the `stdout` of the events of each shard's
    /// current run, in `counter` order.
    @Sendable func stdout(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let uuid = try context.jobUUID()
        try await requireJob(uuid)
        var buffer = ByteBuffer()
        for line in try await services.results.stdout(uuid: uuid) { buffer.writeString(line) }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: buffer))
    }
}
