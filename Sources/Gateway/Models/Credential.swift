import Foundation
import Shared

/// A credential's metadata; its secret is stored sealed and never shown.
struct Credential: Sendable, Equatable {
    var id: Int64
    var name: String
    var hasSSHKey: Bool
    var hasVaultPassword: Bool
    var username: String?
    var createdAt: Date

    var json: JSONValue {
        [
            "id": .int(id), "name": .string(name), "has_ssh_key": .bool(hasSSHKey), "has_vault_password": .bool(hasVaultPassword),
            "username": .from(username), "created_at": .from(createdAt),
        ]
    }
}

/// A new credential, its secret already sealed.
struct CredentialFields: Sendable {
    var name: String
    var sealed: Data
    var hasSSHKey: Bool
    var hasVaultPassword: Bool
    var username: String?
}
