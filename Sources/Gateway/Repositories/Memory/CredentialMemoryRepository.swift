import Foundation
import Shared

/// Credentials in a `GatewayMemoryStore`.
struct CredentialMemoryRepository: CredentialRepository {
    let store: GatewayMemoryStore

    func create(_ fields: CredentialFields) async throws -> Credential? {
        try store.update { tables in
            guard !tables.credentials.values.contains(where: { $0.name == fields.name }) else { return nil }
            let credential = Credential(
                id: tables.nextID("credentials"), name: fields.name, hasSSHKey: fields.hasSSHKey, hasVaultPassword: fields.hasVaultPassword,
                username: fields.username, envs: fields.envs, createdAt: Date()
            )
            tables.credentials[credential.id] = credential
            tables.sealedCredentials[credential.id] = fields.sealed
            return credential
        }
    }

    func list() async throws -> [Credential] {
        store.read { $0.credentials.values.sorted { $0.id < $1.id } }
    }

    func get(id: Int64) async throws -> Credential? {
        store.read { $0.credentials[id] }
    }

    func delete(id: Int64) async throws {
        try store.update { tables in
            guard tables.credentials.removeValue(forKey: id) != nil else { throw APIError.notFound("credential", id: "\(id)") }
            tables.sealedCredentials[id] = nil
            for (playbookID, playbook) in tables.playbooks where playbook.credentialID == id { tables.playbooks[playbookID]?.credentialID = nil }
            for (jobID, job) in tables.jobs where job.credentialID == id { tables.jobs[jobID]?.credentialID = nil }
        }
    }
}
