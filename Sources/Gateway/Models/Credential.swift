import Foundation
import Shared

/// A credential's metadata; its secret is stored sealed and never shown.
struct Credential: Sendable, Hashable {
    var id: Int64
    var name: String
    var hasSSHKey: Bool
    var hasVaultPassword: Bool
    var username: String?
    /// The environments whose jobs may use it; nil for every one.
    var envs: [String]? = nil
    var createdAt: Date

    /// 403 naming `credential_id` unless a job of `env` may use the credential `id`, bound to `envs`.
    static func requireUsable(id: Int64, envs: [String]?, by env: String) throws(APIError) {
        guard let envs, !envs.contains(env) else { return }
        throw .forbidden("credential \(id) is not for env '\(env)' (it is bound to \(envs.joined(separator: ", ")))", field: "credential_id")
    }
}

/// A new credential, its secret already sealed.
struct CredentialFields: Sendable {
    var name: String
    var sealed: Data
    var hasSSHKey: Bool
    var hasVaultPassword: Bool
    var username: String?
    var envs: [String]?
}
