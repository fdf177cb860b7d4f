import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import Shared

/// A database of a benchmark's own: created beside the one given (same server), migrated, handed to the body
/// with its URL, and dropped afterwards, whatever happened.
enum BenchDatabase {
    static func withFresh<T: Sendable>(
        serverURL: String, logger: Logger, _ body: @Sendable (_ client: PostgresClient, _ url: String) async throws -> T
    ) async throws -> T {
        let name = "bench_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12))"
        guard var components = URLComponents(string: serverURL) else { throw ValidationError("--database-url: not a URL") }
        components.path = "/postgres"
        let adminURL = components.url!.absoluteString
        components.path = "/\(name)"
        let benchURL = components.url!.absoluteString

        try await withClient(url: adminURL, logger: logger) {
            try await $0.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        let result: T
        do {
            result = try await withClient(url: benchURL, logger: logger) { client in
                try await Migrator(client: client, logger: logger).migrate()
                return try await body(client, benchURL)
            }
        } catch {
            try? await drop(name, adminURL: adminURL, logger: logger)
            throw error
        }
        try await drop(name, adminURL: adminURL, logger: logger)
        return result
    }

    @discardableResult
    static func withClient<T: Sendable>(url: String, logger: Logger, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let configuration = try DatabaseConfiguration(source: ConfigurationSource(values: ["database.url": url]))
        let client = try PostgresClient(configuration: configuration, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    private static func drop(_ name: String, adminURL: String, logger: Logger) async throws {
        try await withClient(url: adminURL, logger: logger) {
            try await $0.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }

    static func count(_ client: PostgresClient, job: UUID, logger: Logger) async throws -> Int {
        let rows = try await client.query("SELECT count(*) FROM events WHERE job_uuid = \(job)", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    static func jobStatus(_ client: PostgresClient, job: UUID, logger: Logger) async throws -> String {
        let rows = try await client.query("SELECT status FROM jobs WHERE uuid = \(job)", logger: logger)
        for try await status in rows.decode(String.self) { return status }
        return "missing"
    }
}
