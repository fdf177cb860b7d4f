import Foundation
import Logging
import NIOCore
import PostgresNIO
import Shared

/// Checks bearer tokens (`TokenCheck`): the configured admin token, or an API token whose SHA-256 is in
/// `api_tokens` and not revoked. Progress sessions ask again while they run, so a revoked token's session ends.
struct TokenAuthenticator: Sendable {
    let adminToken: String?
    let client: PostgresClient
    let logger: Logger

    func isValid(_ token: String) async throws -> Bool {
        guard !token.isEmpty else { return false }
        if TokenCheck.isAdmin(token, adminToken: adminToken) {
            return true
        }
        let hash = ByteBuffer(bytes: TokenCheck.digest(token))
        let logger = self.logger
        return try await client.withWatchedConnection { connection in
            let rows = try await connection.query("SELECT 1 FROM api_tokens WHERE token_hash = \(hash) AND revoked_at IS NULL", logger: logger)
            for try await _ in rows.decode(Int.self) { return true }
            return false
        }
    }
}
