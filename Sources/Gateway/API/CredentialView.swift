import Foundation

/// `#/components/schemas/Credential`: a credential's metadata; its secret is never shown.
struct CredentialView: ListedView {
    static let listKey = "credentials"
    var credential: Credential

    enum CodingKeys: String, CodingKey {
        case id, name, username, envs
        case hasSSHKey = "has_ssh_key"
        case hasVaultPassword = "has_vault_password"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(credential.id, forKey: .id)
        try container.encode(credential.name, forKey: .name)
        try container.encode(credential.hasSSHKey, forKey: .hasSSHKey)
        try container.encode(credential.hasVaultPassword, forKey: .hasVaultPassword)
        try container.encode(credential.username, forKey: .username)
        try container.encode(credential.envs, forKey: .envs)
        try container.encode(credential.createdAt, forKey: .createdAt)
    }
}
