import Foundation
import Shared

/// A credential's metadata; its secret is stored sealed and never shown.
struct Credential: Sendable, Hashable {
    var id: Int64
    var name: String
    var hasSSHKey: Bool
    var hasVaultPassword: Bool
    var username: String?
    var createdAt: Date
}

/// A new credential, its secret already sealed.
struct CredentialFields: Sendable {
    var name: String
    var sealed: Data
    var hasSSHKey: Bool
    var hasVaultPassword: Bool
    var username: String?
}
