import Foundation
import Logging
import PostgresNIO
import Shared

/// Playbooks in `playbooks`.
struct PlaybookPostgresRepository: PlaybookRepository {
    let client: PostgresClient
    let logger: Logger

    func create(_ fields: PlaybookFields) async throws -> Playbook? {
        try await client.record(
            """
            INSERT INTO playbooks (name, git_repo, entry, ref, credential_id)
            SELECT \(fields.name), \(fields.gitRepo), \(fields.entry), \(fields.ref), \(fields.credentialID)
            WHERE \(fields.credentialID)::bigint IS NULL OR EXISTS (SELECT 1 FROM credentials WHERE id = \(fields.credentialID))
            RETURNING \(unescaped: Playbook.columns)
            """,
            logger: logger, Playbook.init(row:)
        )
    }

    func list() async throws -> [Playbook] {
        try await client.records("SELECT \(unescaped: Playbook.columns) FROM playbooks ORDER BY id", logger: logger, Playbook.init(row:))
    }

    func get(id: Int64) async throws -> Playbook? {
        try await client.record("SELECT \(unescaped: Playbook.columns) FROM playbooks WHERE id = \(id)", logger: logger, Playbook.init(row:))
    }

    func delete(id: Int64) async throws {
        try await ResourceDeletion.delete(table: "playbooks", jobColumn: "playbook_id", id: id, what: "playbook", postgres: client, logger: logger)
    }
}
