import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing

@testable import Shared

@Suite(.enabled(if: TestServices.available))
struct MigratorTests {
    let logger = Logger(label: "test.migrator")

    @Test func migrationsAppliedTwiceAreANoOp() async throws {
        let database = try await TestServices.createDatabase()
        defer { Task { try? await TestServices.dropDatabase(database.name) } }
        try await TestServices.withPostgresClient(url: database.url) { client in
            let first = try await Migrator(client: client, logger: logger).migrate()
            #expect(first == Migration.all.map(\.version))
            let second = try await Migrator(client: client, logger: logger).migrate()
            #expect(second.isEmpty)
            let count = try await client.query("SELECT count(*) FROM schema_migrations").decode(Int.self).first { _ in true }
            #expect(count == Migration.all.count)
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationOnce() async throws {
        let database = try await TestServices.createDatabase()
        defer { Task { try? await TestServices.dropDatabase(database.name) } }
        let logger = self.logger
        // Separate clients: two processes starting together.
        let results = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await TestServices.withPostgresClient(url: database.url) { client in
                        try await Migrator(client: client, logger: logger).migrate()
                    }
                }
            }
            var all: [[Int]] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.flatMap { $0 }.sorted() == Migration.all.map(\.version))
        try await TestServices.withPostgresClient(url: database.url) { client in
            let tables = try await client.query(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('jobs', 'events', 'host_summaries', 'outbox')"
            ).decode(Int.self).first { _ in true }
            #expect(tables == 4)
        }
    }
}
