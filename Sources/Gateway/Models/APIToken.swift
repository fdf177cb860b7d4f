import Foundation
import Shared

/// An API token's metadata (only its SHA-256 is stored).
struct APIToken: Sendable, Hashable {
    var id: Int64
    var name: String
    var createdAt: Date
    var lastUsedAt: Date?
    var revokedAt: Date?
}
