import Foundation
import Shared

/// An API token's metadata (only its SHA-256 is stored).
struct APIToken: Sendable, Hashable {
    var id: Int64
    var name: String
    var role: Role = .operator
    /// The environments of its scope, in order; nil for every one.
    var envs: [String]? = nil
    var createdAt: Date
    var lastUsedAt: Date?
    var revokedAt: Date?

    /// Who a request carrying this token is.
    var principal: Principal {
        Principal(tokenID: id, name: name, role: role, envs: envs.map(Set.init))
    }
}
