import Logging
import PostgresNIO

/// Applies `Migration.all` at start.
///
/// Everything runs in one transaction holding a transaction-scoped advisory lock, so processes starting
/// together apply each migration exactly once: the second waits for the first to commit, then finds nothing
/// to do. Applied versions are recorded in `schema_migrations`.
public struct Migrator: Sendable {
    /// The advisory lock key ("pansible" in ASCII).
    static let lockKey: Int64 = 0x7061_6E73_6962_6C65

    let client: PostgresClient
    let migrations: [Migration]
    let logger: Logger

    public init(client: PostgresClient, migrations: [Migration] = Migration.all, logger: Logger) {
        self.client = client
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies the missing migrations; returns the versions applied by this call. When PostgreSQL is out of reach
    /// before the transaction committed (nothing of it is kept), it is tried again, at most `attempts` times in all.
    @discardableResult
    public func migrate(attempts: Int = 3) async throws -> [Int] {
        for attempt in 1... {
            do {
                return try await migrateOnce()
            } catch let error where attempt < attempts && DatabaseUnavailability.isUnavailable(error) {
                logger.warning("migration connection lost; trying again", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                try await Task.sleep(for: .seconds(attempt))
            }
        }
        preconditionFailure("unreachable: the last attempt returns or throws")
    }

    private func migrateOnce() async throws -> [Int] {
        let migrations = self.migrations.sorted { $0.version < $1.version }
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                logger: logger
            )
            var applied = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            var done: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    // Migration text is a compile-time constant of this project: no user input reaches it.
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger
                )
                logger.info("applied migration", metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"])
                done.append(migration.version)
            }
            return done
        }
    }
}
