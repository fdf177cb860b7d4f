import Foundation

/// `#/components/schemas/Credential`: a credential's metadata; its secret is never shown.
struct CredentialView: Codable, Hashable, Sendable {
    var id: Int64
    var name: String
    var hasSSHKey: Bool
    var hasVaultPassword: Bool
    var username: String?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, username
        case hasSSHKey = "has_ssh_key"
        case hasVaultPassword = "has_vault_password"
        case createdAt = "created_at"
    }

    init(_ credential: Credential) {
        self.id = credential.id
        self.name = credential.name
        self.hasSSHKey = credential.hasSSHKey
        self.hasVaultPassword = credential.hasVaultPassword
        self.username = credential.username
        self.createdAt = credential.createdAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(hasSSHKey, forKey: .hasSSHKey)
        try container.encode(hasVaultPassword, forKey: .hasVaultPassword)
        try container.encode(username, forKey: .username)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
