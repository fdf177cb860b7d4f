import Foundation
import Logging
import PostgresNIO
import Shared

/// Schedules in `schedules`. A due run is taken under a row lock (`FOR NO KEY UPDATE SKIP LOCKED`): one gateway
/// runs it, the others pass it by, and the lock does not stop the launched job's reference to the schedule.
struct SchedulePostgresRepository: ScheduleRepository {
    let client: PostgresClient
    let logger: Logger

    func create(_ fields: ScheduleFields) async throws -> Schedule {
        let created = try await client.record(
            """
            INSERT INTO schedules (name, cron, timezone, env, job, enabled, next_run_at, created_by)
            VALUES (\(fields.name), \(fields.cron), \(fields.timezone), \(fields.env), \(fields.job)::jsonb, \(fields.enabled),
                    \(fields.nextRunAt), \(fields.createdBy))
            ON CONFLICT (name) DO NOTHING
            RETURNING \(unescaped: Schedule.columns)
            """,
            logger: logger, Schedule.init(row:)
        )
        guard let created else { throw Self.nameTaken(fields.name) }
        return created
    }

    func update(id: Int64, _ fields: ScheduleFields) async throws -> Schedule {
        do {
            let updated = try await client.record(
                """
                UPDATE schedules SET name = \(fields.name), cron = \(fields.cron), timezone = \(fields.timezone), env = \(fields.env),
                    job = \(fields.job)::jsonb, enabled = \(fields.enabled), next_run_at = \(fields.nextRunAt), updated_at = now()
                WHERE id = \(id)
                RETURNING \(unescaped: Schedule.columns)
                """,
                logger: logger, Schedule.init(row:)
            )
            guard let updated else { throw APIError.notFound("schedule", id: "\(id)") }
            return updated
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw Self.nameTaken(fields.name)
        }
    }

    func list() async throws -> [Schedule] {
        try await client.records("SELECT \(unescaped: Schedule.columns) FROM schedules ORDER BY id", logger: logger, Schedule.init(row:))
    }

    func get(id: Int64) async throws -> Schedule? {
        try await client.record("SELECT \(unescaped: Schedule.columns) FROM schedules WHERE id = \(id)", logger: logger, Schedule.init(row:))
    }

    func delete(id: Int64) async throws {
        let deleted = try await client.record("DELETE FROM schedules WHERE id = \(id) RETURNING id", logger: logger) { _ in true }
        guard deleted != nil else { throw APIError.notFound("schedule", id: "\(id)") }
    }

    func runDue(now: Date, limit: Int, _ run: @escaping @Sendable (Schedule) async -> ScheduleRun) async throws -> Int {
        let logger = self.logger
        return try await client.withWatchedTransaction(logger: logger) { connection in
            let due = try await connection.records(
                """
                SELECT \(unescaped: Schedule.columns) FROM schedules WHERE enabled AND next_run_at <= \(now)
                ORDER BY next_run_at LIMIT \(limit) FOR NO KEY UPDATE SKIP LOCKED
                """,
                logger: logger, Schedule.init(row:)
            )
            for schedule in due {
                let outcome = await run(schedule)
                try await connection.query(
                    """
                    UPDATE schedules SET next_run_at = \(outcome.next), last_run_at = \(schedule.nextRunAt),
                        last_job_uuid = coalesce(\(outcome.jobUUID), last_job_uuid), last_error = \(outcome.error)
                    WHERE id = \(schedule.id)
                    """,
                    logger: logger
                )
            }
            return due.count
        }
    }

    static func nameTaken(_ name: String) -> APIError {
        APIError(.conflict, code: "already_exists", message: "a schedule named '\(name)' exists", field: "name")
    }
}
