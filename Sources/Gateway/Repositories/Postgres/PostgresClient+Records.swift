import Logging
import PostgresNIO

extension PostgresClient {
    /// Every row of `query`, each read by `read`.
    func records<T>(_ query: PostgresQuery, logger: Logger, _ read: (PostgresRow) throws -> T) async throws -> [T] {
        var records: [T] = []
        for try await row in try await self.query(query, logger: logger) { records.append(try read(row)) }
        return records
    }

    /// The first row of `query`, read by `read`, or nil.
    func record<T>(_ query: PostgresQuery, logger: Logger, _ read: (PostgresRow) throws -> T) async throws -> T? {
        for try await row in try await self.query(query, logger: logger) { return try read(row) }
        return nil
    }
}

extension PostgresConnection {
    /// Every row of `query`, each read by `read`.
    func records<T>(_ query: PostgresQuery, logger: Logger, _ read: (PostgresRow) throws -> T) async throws -> [T] {
        var records: [T] = []
        for try await row in try await self.query(query, logger: logger) { records.append(try read(row)) }
        return records
    }
}
