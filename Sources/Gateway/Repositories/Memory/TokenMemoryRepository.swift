import Foundation
import Shared

/// API tokens in a `GatewayMemoryStore`.
struct TokenMemoryRepository: TokenRepository {
    let store: GatewayMemoryStore

    func create(name: String, digest: [UInt8]) async throws -> APIToken {
        try store.update { tables in
            let token = APIToken(id: tables.nextID("api_tokens"), name: name, createdAt: Date())
            tables.tokens[token.id] = token
            tables.tokenDigests[token.id] = digest
            return token
        }
    }

    func list() async throws -> [APIToken] {
        store.read { $0.tokens.values.sorted { $0.id < $1.id } }
    }

    func revoke(id: Int64) async throws -> Bool {
        try store.update { tables in
            guard var token = tables.tokens[id] else { return false }
            token.revokedAt = token.revokedAt ?? Date()
            tables.tokens[id] = token
            return true
        }
    }

    func authenticate(digest: [UInt8]) async throws -> Int64? {
        try store.update { tables in
            guard let id = tables.tokenDigests.first(where: { $0.value == digest })?.key, tables.tokens[id]?.revokedAt == nil else { return nil }
            tables.tokens[id]?.lastUsedAt = Date()
            return id
        }
    }

    /// The stored digest of a token (tests check that only the digest is kept).
    func digest(id: Int64) -> [UInt8]? {
        store.read { $0.tokenDigests[id] }
    }
}
