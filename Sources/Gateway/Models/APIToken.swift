import Foundation
import Shared

/// An API token's metadata (only its SHA-256 is stored).
struct APIToken: Sendable, Equatable {
    var id: Int64
    var name: String
    var createdAt: Date
    var lastUsedAt: Date?
    var revokedAt: Date?

    var json: JSONValue {
        ["id": .int(id), "name": .string(name), "created_at": .from(createdAt), "last_used_at": .from(lastUsedAt), "revoked_at": .from(revokedAt)]
    }
}
