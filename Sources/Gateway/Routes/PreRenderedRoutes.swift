import Foundation
import Hummingbird
import NIOCore
import Shared

/// The routes whose bodies are JSON text already, built by PostgreSQL or by Ansible's own inventory code: they are
/// passed through as bytes rather than parsed and encoded again (a result or an event page of a 10,000-host job
/// is megabytes). Their contract is in `openapi.yaml` like every other route's; the other operations are served
/// by `GatewayAPI` through the generated server.
struct PreRenderedRoutes {
    let services: GatewayServices

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.get("/api/v1/inventory/:id/ansible", use: ansible)
        router.get("/api/v1/job/result/:uuid", use: result)
        router.get("/api/v1/job/:uuid/events", use: events)
    }

    /// Ansible's dynamic-inventory JSON (`ansible-inventory --list`).
    @Sendable func ansible(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "inventory")
        let inventory = try await services.inventory(id, visibleTo: try Self.viewer(context))
        let listing = try services.inventory.ansibleList(hosts: inventory.hosts, vars: inventory.vars)
        return Self.json(ByteBuffer(bytes: listing))
    }

    /// The seed's shape, keyed by host: `failures` (failed events of the current run of the host's shard, or
    /// null) and `stats` (the host summary, or null for a host of the job without one yet).
    @Sendable func result(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let uuid = try context.jobUUID()
        _ = try await services.jobEnv(uuid, visibleTo: try Self.viewer(context))
        return Self.json(ByteBuffer(string: try await services.results.result(uuid: uuid)))
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
        _ = try await services.jobEnv(uuid, visibleTo: try Self.viewer(context))
        let events = try await services.results.events(uuid: uuid, query)
        var text = #"{"events":["#
        text += events.map(\.payload).joined(separator: ",")
        let last = events.last?.seq ?? after
        text += #"],"next":\#(events.count == Int(limit) ? "\"\(last)\"" : "null")}"#
        return Self.json(ByteBuffer(string: text))
    }

    /// The request's principal: every role may read.
    private static func viewer(_ context: GatewayRequestContext) throws(APIError) -> Principal {
        guard let principal = context.principal else { throw APIError.unauthorized }
        try principal.require(.viewer)
        return principal
    }

    private static func json(_ buffer: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }
}
