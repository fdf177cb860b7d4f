import Foundation
import Shared

/// The audit log in a `GatewayMemoryStore`.
struct AuditMemoryRepository: AuditRepository {
    let store: GatewayMemoryStore

    func record(_ entry: AuditEntry) async throws {
        try store.update { tables in
            var entry = entry
            entry.id = tables.nextID("audit_log")
            tables.audit.append(entry)
        }
    }

    func list(_ query: AuditQuery) async throws -> [AuditEntry] {
        store.read { tables in
            Array(
                tables.audit.reversed().filter { entry in
                    (query.cursor.map { entry.id < $0 } ?? true) && (query.tokenID.map { entry.tokenID == $0 } ?? true)
                        && (query.resource.map { entry.resource == $0 } ?? true) && (query.since.map { entry.at >= $0 } ?? true)
                        && (query.until.map { entry.at < $0 } ?? true) && (query.envs.map { envs in entry.env.map(envs.contains) ?? false } ?? true)
                }
                .prefix(Int(query.limit))
            )
        }
    }
}
