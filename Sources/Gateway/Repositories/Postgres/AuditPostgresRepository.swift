import Foundation
import Logging
import PostgresNIO
import Shared

/// The audit log in `audit_log`.
struct AuditPostgresRepository: AuditRepository {
    let client: PostgresClient
    let logger: Logger

    func record(_ entry: AuditEntry) async throws {
        try await client.query(
            """
            INSERT INTO audit_log (token_id, token_name, method, path, action, resource, resource_id, env, status)
            VALUES (\(entry.tokenID), \(entry.tokenName), \(entry.method), \(entry.path), \(entry.action), \(entry.resource),
                    \(entry.resourceID), \(entry.env), \(entry.status))
            """,
            logger: logger
        )
    }

    func list(_ query: AuditQuery) async throws -> [AuditEntry] {
        try await client.records(
            """
            SELECT id, at, token_id, token_name, method, path, action, resource, resource_id, env, status FROM audit_log
            WHERE (\(query.cursor)::int8 IS NULL OR id < \(query.cursor)) AND (\(query.tokenID)::int8 IS NULL OR token_id = \(query.tokenID))
              AND (\(query.resource)::text IS NULL OR resource = \(query.resource))
              AND (\(query.since)::timestamptz IS NULL OR at >= \(query.since)) AND (\(query.until)::timestamptz IS NULL OR at < \(query.until))
              AND (\(query.envs)::text[] IS NULL OR env = ANY(\(query.envs)))
            ORDER BY id DESC LIMIT \(query.limit)
            """,
            logger: logger
        ) { row in
            try row.columns { c in
                AuditEntry(
                    id: try c("id"), at: try c("at"), tokenID: try c("token_id"), tokenName: try c("token_name"), method: try c("method"),
                    path: try c("path"), action: try c("action"), resource: try c("resource"), resourceID: try c("resource_id"),
                    env: try c("env"), status: try c("status")
                )
            }
        }
    }
}
