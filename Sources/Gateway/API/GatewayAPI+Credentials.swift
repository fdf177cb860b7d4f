import Foundation
import Shared

/// `/api/v1/credential`: SSH keys, vault passwords and remote users for workers. Write-only: the secret is
/// sealed (AES-GCM, `secret_key`) before it is stored, and no endpoint ever returns it. Only admins manage
/// credentials; `envs` binds one to the environments whose jobs may use it.
extension GatewayAPI {
    func createCredential(_ input: Operations.CreateCredential.Input) async throws -> Operations.CreateCredential.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        let principal = try require(.admin)
        let name = try Self.nonEmpty(body.name, field: "name")
        let envs = try Self.envs(body.envs, field: "envs")
        guard principal.covers(envs: envs.map(Set.init)) else {
            throw APIError.forbidden("the token '\(principal.name)' may only bind credentials to its own envs", field: "envs")
        }
        let key = body.sshPrivateKey.flatMap { $0.isEmpty ? nil : $0 }
        let vault = body.vaultPassword.flatMap { $0.isEmpty ? nil : $0 }
        let username = body.username.flatMap { $0.isEmpty ? nil : $0 }
        if key == nil && vault == nil && username == nil {
            throw APIError(
                .badRequest, code: "missing_field", message: "a credential needs ssh_private_key, vault_password or username",
                field: "ssh_private_key"
            )
        }
        if let key, !key.contains("PRIVATE KEY-----") {
            throw APIError.invalidField("ssh_private_key", "expected a PEM or OpenSSH private key (-----BEGIN ... PRIVATE KEY-----)")
        }
        let sealed = try services.sealer.seal(CredentialSecret(sshPrivateKey: key, vaultPassword: vault, username: username))
        let fields = CredentialFields(
            name: name, sealed: sealed, hasSSHKey: key != nil, hasVaultPassword: vault != nil, username: username, envs: envs
        )
        guard let credential = try await services.credentials.create(fields) else {
            throw APIError(.conflict, code: "already_exists", message: "a credential named '\(name)' exists", field: "name")
        }
        audit(resourceID: "\(credential.id)")
        return .created(.init(body: .json(CredentialView(credential: credential))))
    }

    func listCredentials(_ input: Operations.ListCredentials.Input) async throws -> Operations.ListCredentials.Output {
        try require(.admin)
        return .ok(.init(body: .json(ResourceList(try await services.credentials.list().map { CredentialView(credential: $0) }))))
    }

    func getCredential(_ input: Operations.GetCredential.Input) async throws -> Operations.GetCredential.Output {
        try require(.admin)
        return .ok(.init(body: .json(CredentialView(credential: try await get(input.path.id, from: services.credentials, name: "credential")))))
    }

    func deleteCredential(_ input: Operations.DeleteCredential.Input) async throws -> Operations.DeleteCredential.Output {
        try require(.admin)
        try await delete(input.path.id, from: services.credentials, name: "credential")
        return .noContent(.init())
    }
}
