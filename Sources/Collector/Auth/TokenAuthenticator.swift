import Crypto
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Checks bearer tokens: the configured admin token, or an API token whose SHA-256 is in `api_tokens` and
/// not revoked.
struct TokenAuthenticator: Sendable {
    let adminToken: String?
    let client: PostgresClient
    let logger: Logger

    func isValid(_ token: String) async throws -> Bool {
        guard !token.isEmpty else { return false }
        if let adminToken, Self.constantTimeEqual(Array(adminToken.utf8), Array(token.utf8)) {
            return true
        }
        let hash = ByteBuffer(bytes: SHA256.hash(data: Array(token.utf8)))
        let rows = try await client.query(
            "SELECT 1 FROM api_tokens WHERE token_hash = \(hash) AND revoked_at IS NULL",
            logger: logger
        )
        for try await _ in rows.decode(Int.self) { return true }
        return false
    }

    static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
