import Foundation
import Logging
import PostgresNIO
import Shared

/// Apps in `apps`, their links in `app_playbooks` and `app_inventories`.
struct AppPostgresRepository: AppRepository {
    let client: PostgresClient
    let logger: Logger

    func create(appid: String) async throws -> App? {
        try await client.record(
            "INSERT INTO apps (appid) VALUES (\(appid)) ON CONFLICT (appid) DO NOTHING RETURNING \(unescaped: App.columns)",
            logger: logger, App.init(row:)
        )
    }

    func list() async throws -> [App] {
        try await client.records("SELECT \(unescaped: App.columns) FROM apps ORDER BY id", logger: logger, App.init(row:))
    }

    func get(id: Int64) async throws -> App? {
        try await client.record("SELECT \(unescaped: App.columns) FROM apps WHERE id = \(id)", logger: logger, App.init(row:))
    }

    func delete(id: Int64) async throws {
        try await ResourceDeletion.delete(table: "apps", jobColumn: "app_id", id: id, what: "app", postgres: client, logger: logger)
    }

    func link(app: Int64, to target: AppLinkTarget, id: Int64) async throws -> AppLinkOutcome {
        // Constants of this file, never input.
        let (table, column, targetTable) =
            switch target {
            case .playbook: ("app_playbooks", "playbook_id", "playbooks")
            case .inventory: ("app_inventories", "inventory_id", "inventories")
            }
        let outcome = try await client.record(
            """
            WITH inserted AS (
                INSERT INTO \(unescaped: table) (app_id, \(unescaped: column))
                SELECT a.id, t.id FROM apps a, \(unescaped: targetTable) t WHERE a.id = \(app) AND t.id = \(id)
                ON CONFLICT DO NOTHING
                RETURNING app_id
            )
            SELECT EXISTS (SELECT 1 FROM apps WHERE id = \(app)) AS app_exists,
                   EXISTS (SELECT 1 FROM \(unescaped: targetTable) WHERE id = \(id)) AS target_exists,
                   EXISTS (SELECT 1 FROM inserted) AS inserted
            """,
            logger: logger
        ) { row in
            try row.columns { c -> AppLinkOutcome in
                guard try c("app_exists", as: Bool.self) else { return .appMissing }
                guard try c("target_exists", as: Bool.self) else { return .targetMissing }
                return try c("inserted", as: Bool.self) ? .created : .existed
            }
        }
        guard let outcome else { throw APIError(.internalServerError, code: "internal", message: "the link was not stored") }
        return outcome
    }

    func playbooks(of app: Int64) async throws -> [Playbook] {
        try await client.records(
            """
            SELECT p.id, p.name, p.git_repo, p.entry, p.ref, p.credential_id, p.created_at
            FROM app_playbooks l JOIN playbooks p ON p.id = l.playbook_id WHERE l.app_id = \(app) ORDER BY p.id
            """,
            logger: logger, Playbook.init(row:)
        )
    }

    func inventories(of app: Int64, env: String?) async throws -> [InventoryRecord] {
        try await client.records(
            """
            SELECT i.id, i.name, i.env, i.version, i.hosts, i.vars, i.host_count, i.created_at, i.updated_at
            FROM app_inventories l JOIN inventories i ON i.id = l.inventory_id
            WHERE l.app_id = \(app) AND (\(env)::text IS NULL OR i.env = \(env)) ORDER BY i.id
            """,
            logger: logger, InventoryRecord.init(row:)
        )
    }
}
