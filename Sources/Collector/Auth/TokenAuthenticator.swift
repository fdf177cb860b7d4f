import Foundation
import Logging
import NIOCore
import PostgresNIO
import Shared

/// Checks bearer tokens with the gateway's rules (`BearerTokenCheck`): the configured admin token, or an API
/// token whose SHA-256 is in `api_tokens` and not revoked. Progress sessions ask again while they run, so a
/// revoked token's session ends.
struct TokenAuthenticator: Sendable {
    let check: BearerTokenCheck

    init(adminToken: String?, client: PostgresClient, logger: Logger) {
        self.check = BearerTokenCheck(adminToken: adminToken) { digest in
            let hash = ByteBuffer(bytes: digest)
            return try await client.withWatchedConnection { connection in
                let rows = try await connection.query(
                    "SELECT id FROM api_tokens WHERE token_hash = \(hash) AND revoked_at IS NULL", logger: logger)
                for try await id in rows.decode(Int64.self) { return id }
                return nil
            }
        }
    }

    func isValid(_ token: String) async throws -> Bool {
        try await check.principal(for: token) != nil
    }
}
