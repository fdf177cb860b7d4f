import Logging
import PostgresNIO

extension PostgresClient {
    /// `withConnection`, failing once the connection has closed under `work` (see `failingWhenClosed`).
    public func withWatchedConnection<Value: Sendable>(
        _ work: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        try await withConnection { connection in
            try await connection.failingWhenClosed(work)
        }
    }

    /// `withTransaction`, failing once the connection has closed under `work` (see `failingWhenClosed`).
    public func withWatchedTransaction<Value: Sendable>(
        logger: Logger,
        _ work: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        try await withWatchedConnection { connection in
            try await connection.withTransaction(logger: logger) { connection in try await work(connection) }
        }
    }
}
