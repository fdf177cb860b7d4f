import Foundation
import Hummingbird
import PostgresNIO
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
        let hash = Data(TokenHasher.hash(token))
        let rows = try await services.postgres.query(
            "INSERT INTO api_tokens (name, token_hash) VALUES (\(name), \(hash)) RETURNING id, created_at",
            logger: context.logger
        )
        for try await (id, createdAt) in rows.decode((Int64, Date).self) {
            context.logger.info("api token created", metadata: ["token.id": "\(id)"])
            return JSONResponse.make(
                status: .created,
                value: ["id": .int(id), "name": .string(name), "token": .string(token), "created_at": .from(createdAt)]
            )
        }
        throw APIError(.internalServerError, code: "internal", message: "the token was not stored")
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try requireAdmin(context)
        let rows = try await services.postgres.query(
            "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY id",
            logger: context.logger
        )
        var tokens: [JSONValue] = []
        for try await (id, name, createdAt, lastUsedAt, revokedAt) in rows.decode((Int64, String, Date, Date?, Date?).self) {
            tokens.append([
                "id": .int(id), "name": .string(name), "created_at": .from(createdAt), "last_used_at": .from(lastUsedAt),
                "revoked_at": .from(revokedAt),
            ])
        }
        return JSONResponse.make(value: ["tokens": .array(tokens)])
    }

    @Sendable func revoke(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try requireAdmin(context)
        let id = try context.id(of: "token")
        let rows = try await services.postgres.query(
            "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = \(id) RETURNING id",
            logger: context.logger
        )
        for try await _ in rows.decode(Int64.self) {
            context.logger.info("api token revoked", metadata: ["token.id": "\(id)"])
            return Response(status: .noContent)
        }
        throw APIError.notFound("token", id: "\(id)")
    }
}
