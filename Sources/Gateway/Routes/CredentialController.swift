import Foundation
import Hummingbird
import Shared

/// `/api/v1/credential`: SSH keys, vault passwords and remote users for workers. Write-only: the secret is
/// sealed (AES-GCM, `secret_key`) before it is stored, and no endpoint ever returns it.
struct CredentialController {
    let services: GatewayServices

    var resource: ResourceRoutes<Credential> {
        ResourceRoutes(repository: services.credentials, name: "credential", listKey: "credentials") { $0.json }
    }

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.post("/api/v1/credential", use: create)
        router.get("/api/v1/credential", use: resource.list)
        router.get("/api/v1/credential/:id", use: resource.get)
        router.delete("/api/v1/credential/:id", use: resource.delete)
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let name = try body.nonEmptyString("name")
        let key = try body.optionalString("ssh_private_key").flatMap { $0.isEmpty ? nil : $0 }
        let vault = try body.optionalString("vault_password").flatMap { $0.isEmpty ? nil : $0 }
        let username = try body.optionalString("username").flatMap { $0.isEmpty ? nil : $0 }
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
        let fields = CredentialFields(name: name, sealed: sealed, hasSSHKey: key != nil, hasVaultPassword: vault != nil, username: username)
        guard let credential = try await services.credentials.create(fields) else {
            throw APIError(.conflict, code: "already_exists", message: "a credential named '\(name)' exists", field: "name")
        }
        return JSONResponse.make(status: .created, value: credential.json)
    }
}
