import Foundation
import Logging
import PostgresNIO
import Shared

/// API tokens in `api_tokens`, by digest.
struct TokenPostgresRepository: TokenRepository {
    let client: PostgresClient
    let logger: Logger

    func create(name: String, digest: [UInt8], role: Role, envs: [String]?) async throws -> APIToken {
        let created = try await client.record(
            """
            INSERT INTO api_tokens (name, token_hash, role, envs) VALUES (\(name), \(Data(digest)), \(role.rawValue), \(envs))
            RETURNING \(unescaped: APIToken.columns)
            """,
            logger: logger, APIToken.init(row:)
        )
        guard let created else { throw APIError(.internalServerError, code: "internal", message: "the token was not stored") }
        return created
    }

    func list() async throws -> [APIToken] {
        try await client.records("SELECT \(unescaped: APIToken.columns) FROM api_tokens ORDER BY id", logger: logger, APIToken.init(row:))
    }

    func revoke(id: Int64) async throws -> Bool {
        try await client.record(
            "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = \(id) RETURNING id", logger: logger
        ) { _ in true } ?? false
    }

    func authenticate(digest: [UInt8]) async throws -> Principal? {
        try await Principal.stored(digest: digest, noteUse: true, client: client, logger: logger)
    }
}
