import Foundation
import Hummingbird
import PostgresNIO
import Shared

/// `/api/v1/credential`: SSH keys, vault passwords and remote users for workers. Write-only: the secret is
/// sealed (AES-GCM, `secret_key`) before it is stored, and no endpoint ever returns it.
struct CredentialController {
    let services: GatewayServices

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.post("/api/v1/credential", use: create)
        router.get("/api/v1/credential", use: list)
        router.get("/api/v1/credential/:id", use: get)
        router.delete("/api/v1/credential/:id", use: delete)
    }

    static let columns = "id, name, has_ssh_key, has_vault_password, username, created_at"
    typealias Row = (Int64, String, Bool, Bool, String?, Date)

    static func json(_ row: Row) -> JSONValue {
        [
            "id": .int(row.0), "name": .string(row.1), "has_ssh_key": .bool(row.2), "has_vault_password": .bool(row.3),
            "username": .from(row.4), "created_at": .from(row.5),
        ]
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let name = try body.nonEmptyString("name")
        let key = try body.optionalString("ssh_private_key").flatMap { $0.isEmpty ? nil : $0 }
        let vault = try body.optionalString("vault_password").flatMap { $0.isEmpty ? nil : $0 }
        let username = try body.optionalString("username").flatMap { $0.isEmpty ? nil : $0 }
        if key == nil && vault == nil && username == nil {
            throw APIError(
                .badRequest, code: "missing_field", message: "a credential needs ssh_private_key, vault_password or username",
                field: "ssh_private_key"
            )
        }
        if let key, !key.contains("PRIVATE KEY-----") {
            throw APIError.invalidField("ssh_private_key", "expected a PEM or OpenSSH private key (-----BEGIN ... PRIVATE KEY-----)")
        }
        let sealed = try services.sealer.seal(CredentialSecret(sshPrivateKey: key, vaultPassword: vault, username: username))
        let rows = try await services.postgres.query(
            """
            INSERT INTO credentials (name, sealed, has_ssh_key, has_vault_password, username)
            VALUES (\(name), \(sealed), \(key != nil), \(vault != nil), \(username))
            ON CONFLICT (name) DO NOTHING
            RETURNING \(unescaped: Self.columns)
            """,
            logger: context.logger
        )
        for try await row in rows.decode(Row.self) {
            return JSONResponse.make(status: .created, value: Self.json(row))
        }
        throw APIError(.conflict, code: "already_exists", message: "a credential named '\(name)' exists", field: "name")
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let rows = try await services.postgres.query("SELECT \(unescaped: Self.columns) FROM credentials ORDER BY id", logger: context.logger)
        var items: [JSONValue] = []
        for try await row in rows.decode(Row.self) { items.append(Self.json(row)) }
        return JSONResponse.make(value: ["credentials": .array(items)])
    }

    @Sendable func get(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "credential")
        let rows = try await services.postgres.query("SELECT \(unescaped: Self.columns) FROM credentials WHERE id = \(id)", logger: context.logger)
        for try await row in rows.decode(Row.self) { return JSONResponse.make(value: Self.json(row)) }
        throw APIError.notFound("credential", id: "\(id)")
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "credential")
        let rows = try await services.postgres.query("DELETE FROM credentials WHERE id = \(id) RETURNING id", logger: context.logger)
        for try await _ in rows.decode(Int64.self) { return Response(status: .noContent) }
        throw APIError.notFound("credential", id: "\(id)")
    }
}
