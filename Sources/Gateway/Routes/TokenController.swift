import Foundation
import Hummingbird
import Shared

/// `/api/v1/tokens`: API tokens, managed with the admin token. A token is shown once, when created; only its
/// SHA-256 is stored.
struct TokenController {
    let services: GatewayServices

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.post("/api/v1/tokens", use: create)
        router.get("/api/v1/tokens", use: list)
        router.delete("/api/v1/tokens/:id", use: revoke)
    }

    private func requireAdmin(_ context: GatewayRequestContext) throws(APIError) {
        guard context.principal == .admin else {
            throw APIError(.forbidden, code: "forbidden", message: "only the admin token manages API tokens")
        }
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try requireAdmin(context)
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let name = try body.nonEmptyString("name")
        let token = TokenHasher.generate()
        let created = try await services.tokens.create(name: name, digest: TokenHasher.hash(token))
        context.logger.info("api token created", metadata: ["token.id": "\(created.id)"])
        return JSONResponse.make(
            status: .created, value: ["id": .int(created.id), "name": .string(name), "token": .string(token), "created_at": .from(created.createdAt)]
        )
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try requireAdmin(context)
        return JSONResponse.make(value: ["tokens": .array(try await services.tokens.list().map(\.json))])
    }

    @Sendable func revoke(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try requireAdmin(context)
        let id = try context.id(of: "token")
        guard try await services.tokens.revoke(id: id) else { throw APIError.notFound("token", id: "\(id)") }
        context.logger.info("api token revoked", metadata: ["token.id": "\(id)"])
        return Response(status: .noContent)
    }
}
