import Foundation
import Shared

/// API tokens in a `GatewayMemoryStore`.
struct TokenMemoryRepository: TokenRepository {
    let store: GatewayMemoryStore

    func create(name: String, digest: [UInt8], role: Role, envs: [String]?) async throws -> APIToken {
        try store.update { tables in
            let token = APIToken(id: tables.nextID("api_tokens"), name: name, role: role, envs: envs, createdAt: Date())
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

    func authenticate(digest: [UInt8]) async throws -> Principal? {
        try store.update { tables in
            guard let id = tables.tokenDigests.first(where: { $0.value == digest })?.key, let token = tables.tokens[id], token.revokedAt == nil
            else { return nil }
            tables.tokens[id]?.lastUsedAt = Date()
            return token.principal
        }
    }

    /// The stored digest of a token (tests check that only the digest is kept).
    func digest(id: Int64) -> [UInt8]? {
        store.read { $0.tokenDigests[id] }
    }
}
