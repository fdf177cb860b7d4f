import Foundation
import Shared

/// Checks bearer tokens (`BearerTokenCheck`, shared with the collector): the configured admin token, or an API
/// token that is not revoked.
struct Authenticator: Sendable {
    let check: BearerTokenCheck

    init(adminToken: String, tokens: any TokenRepository) {
        self.check = BearerTokenCheck(adminToken: adminToken) { digest in try await tokens.authenticate(digest: digest) }
    }

    /// The principal for the token, or nil when it is unknown or revoked.
    func authenticate(token: String) async throws -> Principal? {
        try await check.principal(for: token)
    }
}
