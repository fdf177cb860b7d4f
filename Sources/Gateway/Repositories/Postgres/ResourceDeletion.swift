import Foundation
import Logging
import PostgresNIO

/// Deletes a row that jobs refer to, refused with 409 while a pending or running job uses it.
enum ResourceDeletion {
    /// - Parameters:
    ///   - table: a table name of this project (a constant, never input).
    ///   - jobColumn: the `jobs` column referring to it (a constant).
    static func delete(table: String, jobColumn: String, id: Int64, what: String, postgres: PostgresClient, logger: Logger) async throws {
        do {
            try await postgres.withWatchedTransaction(logger: logger) { connection in
                // The row lock orders this against launches: their foreign-key check waits for it and then fails,
                // or they committed first and the check below sees their job.
                let locked = try await connection.query("SELECT id FROM \(unescaped: table) WHERE id = \(id) FOR UPDATE", logger: logger)
                var exists = false
                for try await _ in locked.decode(Int64.self) { exists = true }
                guard exists else { throw APIError.notFound(what, id: "\(id)") }
                let active = try await connection.query(
                    "SELECT uuid FROM jobs WHERE \(unescaped: jobColumn) = \(id) AND status IN ('pending', 'running') LIMIT 1",
                    logger: logger
                )
                for try await uuid in active.decode(UUID.self) {
                    throw APIError.conflict("in_use", "\(what) \(id) is used by job \(uuid.uuidString.lowercased()), which is pending or running")
                }
                try await connection.query("DELETE FROM \(unescaped: table) WHERE id = \(id)", logger: logger)
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }
}
