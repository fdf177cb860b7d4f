import Foundation

/// `#/components/schemas/Token`: a new token with its secret (shown once), or a listed one with its use and
/// revocation times.
struct TokenView: Codable, Hashable, Sendable {
    var id: Int64
    var name: String
    var token: String?
    var createdAt: Date
    var lastUsedAt: Date?
    var revokedAt: Date?
    /// Whether this is a listed token (`last_used_at` and `revoked_at` shown, null when unset).
    var isListed = true

    enum CodingKeys: String, CodingKey {
        case id, name, token
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
    }

    /// A listed token.
    init(_ token: APIToken) {
        self.id = token.id
        self.name = token.name
        self.createdAt = token.createdAt
        self.lastUsedAt = token.lastUsedAt
        self.revokedAt = token.revokedAt
    }

    /// A token just created, with its secret.
    init(created token: APIToken, secret: String) {
        self.init(token)
        self.token = secret
        self.isListed = false
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(token, forKey: .token)
        try container.encode(createdAt, forKey: .createdAt)
        if isListed {
            try container.encode(lastUsedAt, forKey: .lastUsedAt)
            try container.encode(revokedAt, forKey: .revokedAt)
        }
    }
}
