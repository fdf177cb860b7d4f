import Foundation
import Logging
import PostgresNIO
import Shared

/// Checks bearer tokens: the configured admin token, or an API token that is not revoked.
struct Authenticator: Sendable {
    let adminToken: String
    let postgres: PostgresClient

    /// The principal for the token, or nil when it is unknown or revoked.
    func authenticate(token: String, logger: Logger) async throws -> Principal? {
        if TokenCheck.isAdmin(token, adminToken: adminToken) {
            return .admin
        }
        guard token.hasPrefix(TokenHasher.prefix) else { return nil }
        let hash = TokenHasher.hash(token)
        // Touch last_used_at at most once a minute, so authenticating stays a read in the common case.
        let rows = try await postgres.query(
            """
            WITH token AS (
                SELECT id, last_used_at FROM api_tokens WHERE token_hash = \(Data(hash)) AND revoked_at IS NULL
            ), touched AS (
                UPDATE api_tokens SET last_used_at = now()
                WHERE id = (SELECT id FROM token) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
            )
            SELECT id FROM token
            """,
            logger: logger
        )
        for try await id in rows.decode(Int64.self) {
            return .token(id)
        }
        return nil
    }

    /// The token of an `Authorization: Bearer <token>` header value.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
