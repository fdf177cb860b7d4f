import Foundation
import Shared

/// API tokens, by the SHA-256 digest of the token.
protocol TokenRepository: Sendable {
    func create(name: String, digest: [UInt8], role: Role, envs: [String]?) async throws -> APIToken
    /// Every token, in id order.
    func list() async throws -> [APIToken]
    /// Revokes a token (once); false when there is no such token.
    func revoke(id: Int64) async throws -> Bool
    /// The token with `digest` that is not revoked, noting that it was used.
    func authenticate(digest: [UInt8]) async throws -> Principal?
}
