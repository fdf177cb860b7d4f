import Foundation

/// The audit log: appended to by `AuditMiddleware`, read by `GET /api/v1/audit`.
protocol AuditRepository: Sendable {
    func record(_ entry: AuditEntry) async throws
    /// Newest first.
    func list(_ query: AuditQuery) async throws -> [AuditEntry]
}
