import Foundation
import Logging
import PostgresNIO
import Shared

/// Inventories in `inventories`, every version in `inventory_versions`.
struct InventoryPostgresRepository: InventoryRepository {
    let client: PostgresClient
    let logger: Logger

    func create(_ fields: InventoryFields) async throws -> InventoryRecord {
        let inserted = try await client.record(
            """
            WITH inventory AS (
                INSERT INTO inventories (name, env, version, hosts, vars, host_count)
                VALUES (\(fields.name), \(fields.env), \(fields.version), \(fields.hosts), \(fields.vars), \(fields.hostCount))
                RETURNING \(unescaped: InventoryRecord.columns)
            ), version AS (
                INSERT INTO inventory_versions (inventory_id, version, hosts, vars)
                SELECT id, version, hosts, vars FROM inventory
            )
            SELECT \(unescaped: InventoryRecord.columns) FROM inventory
            """,
            logger: logger, InventoryRecord.init(row:)
        )
        guard let inserted else { throw APIError(.internalServerError, code: "internal", message: "the inventory was not stored") }
        return inserted
    }

    func list(env: String?) async throws -> [InventoryRecord] {
        try await client.records(
            "SELECT \(unescaped: InventoryRecord.columns) FROM inventories WHERE \(env)::text IS NULL OR env = \(env) ORDER BY id",
            logger: logger, InventoryRecord.init(row:)
        )
    }

    func get(id: Int64) async throws -> InventoryRecord? {
        try await client.record(
            "SELECT \(unescaped: InventoryRecord.columns) FROM inventories WHERE id = \(id)", logger: logger, InventoryRecord.init(row:))
    }

    func inventory(_ inventory: InventoryRecord, atVersion version: String) async throws -> InventoryRecord? {
        try await client.record(
            "SELECT hosts, vars, created_at FROM inventory_versions WHERE inventory_id = \(inventory.id) AND version = \(version)",
            logger: logger
        ) { row in
            try row.columns { c in
                var old = inventory
                old.version = version
                old.hosts = try c("hosts")
                old.vars = try c("vars")
                old.createdAt = try c("created_at")
                old.updatedAt = old.createdAt
                return old
            }
        }
    }

    func addVersion(id: Int64, _ fields: InventoryFields) async throws -> InventoryRecord {
        let logger = self.logger
        do {
            return try await client.withWatchedTransaction(logger: logger) { connection in
                let existing = try await connection.query(
                    "SELECT version FROM inventory_versions WHERE inventory_id = \(id) AND version = \(fields.version)", logger: logger
                )
                for try await _ in existing.decode(String.self) {
                    throw APIError(
                        .conflict, code: "version_exists", message: "inventory \(id) already has version '\(fields.version)'", field: "version")
                }
                let updated = try await connection.records(
                    """
                    UPDATE inventories SET version = \(fields.version), hosts = \(fields.hosts), vars = \(fields.vars),
                        host_count = \(fields.hostCount), name = coalesce(\(fields.name), name), env = coalesce(\(fields.env), env),
                        updated_at = now()
                    WHERE id = \(id)
                    RETURNING \(unescaped: InventoryRecord.columns)
                    """,
                    logger: logger, InventoryRecord.init(row:)
                ).last
                guard let updated else { throw APIError.notFound("inventory", id: "\(id)") }
                try await connection.query(
                    """
                    INSERT INTO inventory_versions (inventory_id, version, hosts, vars)
                    VALUES (\(id), \(fields.version), \(fields.hosts), \(fields.vars))
                    """,
                    logger: logger
                )
                return updated
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }

    func versions(id: Int64) async throws -> [InventoryVersion] {
        try await client.records(
            "SELECT version, created_at FROM inventory_versions WHERE inventory_id = \(id) ORDER BY created_at, version", logger: logger
        ) { row in
            try row.columns { c in InventoryVersion(version: try c("version"), createdAt: try c("created_at")) }
        }
    }

    func delete(id: Int64) async throws {
        try await ResourceDeletion.delete(
            table: "inventories", jobColumn: "inventory_id", id: id, what: "inventory", postgres: client, logger: logger)
    }
}
