import Foundation
import Logging
import PostgresNIO
import Shared

/// Checks bearer tokens with the gateway's rules (`BearerTokenCheck`): the configured admin token, or an API
/// token whose SHA-256 is in `api_tokens` and not revoked. Progress sessions ask again while they run, so a
/// revoked token's session ends.
struct TokenAuthenticator: Sendable {
    let check: BearerTokenCheck

    init(adminToken: String?, client: PostgresClient, logger: Logger) {
        self.check = BearerTokenCheck(adminToken: adminToken) { digest in
            try await Principal.stored(digest: digest, noteUse: false, client: client, logger: logger)
        }
    }

    /// The token's principal, or nil when it is unknown or revoked.
    func principal(_ token: String) async throws -> Principal? {
        try await check.principal(for: token)
    }

    func isValid(_ token: String) async throws -> Bool {
        try await check.principal(for: token) != nil
    }
}
