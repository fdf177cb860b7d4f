import Foundation
import Logging
import PostgresNIO
import Shared

/// API tokens in `api_tokens`, by digest.
struct TokenPostgresRepository: TokenRepository {
    let client: PostgresClient
    let logger: Logger

    func create(name: String, digest: [UInt8]) async throws -> APIToken {
        let created = try await client.record(
            "INSERT INTO api_tokens (name, token_hash) VALUES (\(name), \(Data(digest))) RETURNING \(unescaped: APIToken.columns)",
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

    func authenticate(digest: [UInt8]) async throws -> Int64? {
        // Touch last_used_at at most once a minute, so authenticating stays a read in the common case.
        try await client.record(
            """
            WITH token AS (
                SELECT id, last_used_at FROM api_tokens WHERE token_hash = \(Data(digest)) AND revoked_at IS NULL
            ), touched AS (
                UPDATE api_tokens SET last_used_at = now()
                WHERE id = (SELECT id FROM token) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
            )
            SELECT id FROM token
            """,
            logger: logger
        ) { row in try row.columns { c in try c("id", as: Int64.self) } }
    }
}
