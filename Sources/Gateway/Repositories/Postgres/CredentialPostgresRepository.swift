import Foundation
import Logging
import PostgresNIO
import Shared

/// Credentials in `credentials`; `sealed` is written here and read only by the job launch.
struct CredentialPostgresRepository: CredentialRepository {
    let client: PostgresClient
    let logger: Logger

    func create(_ fields: CredentialFields) async throws -> Credential? {
        try await client.record(
            """
            INSERT INTO credentials (name, sealed, has_ssh_key, has_vault_password, username, envs)
            VALUES (\(fields.name), \(fields.sealed), \(fields.hasSSHKey), \(fields.hasVaultPassword), \(fields.username), \(fields.envs))
            ON CONFLICT (name) DO NOTHING
            RETURNING \(unescaped: Credential.columns)
            """,
            logger: logger, Credential.init(row:)
        )
    }

    func list() async throws -> [Credential] {
        try await client.records("SELECT \(unescaped: Credential.columns) FROM credentials ORDER BY id", logger: logger, Credential.init(row:))
    }

    func get(id: Int64) async throws -> Credential? {
        try await client.record("SELECT \(unescaped: Credential.columns) FROM credentials WHERE id = \(id)", logger: logger, Credential.init(row:))
    }

    /// Jobs and playbooks keep what they need of a credential, so it is deleted at once.
    func delete(id: Int64) async throws {
        let deleted = try await client.record("DELETE FROM credentials WHERE id = \(id) RETURNING id", logger: logger) { _ in true }
        guard deleted != nil else { throw APIError.notFound("credential", id: "\(id)") }
    }
}
