import Foundation

/// `#/components/schemas/Token`: a new token with its secret (shown once), or a listed one with its use and
/// revocation times.
struct TokenView: ListedView {
    static let listKey = "tokens"
    var token: APIToken
    /// The token itself, only when just created.
    var secret: String?

    enum CodingKeys: String, CodingKey {
        case id, name, token, role, envs
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(token.id, forKey: .id)
        try container.encode(token.name, forKey: .name)
        try container.encode(token.role, forKey: .role)
        try container.encode(token.envs, forKey: .envs)
        if let secret {
            try container.encode(secret, forKey: .token)
        } else {
            try container.encode(token.lastUsedAt, forKey: .lastUsedAt)
            try container.encode(token.revokedAt, forKey: .revokedAt)
        }
        try container.encode(token.createdAt, forKey: .createdAt)
    }
}
