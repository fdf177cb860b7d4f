import Foundation
import Shared

/// Schedules in a `GatewayMemoryStore`; a due run is taken under the store's lock.
struct ScheduleMemoryRepository: ScheduleRepository {
    let store: GatewayMemoryStore

    func create(_ fields: ScheduleFields) async throws -> Schedule {
        try store.update { tables in
            guard !tables.schedules.values.contains(where: { $0.name == fields.name }) else {
                throw SchedulePostgresRepository.nameTaken(fields.name)
            }
            let now = Date()
            let schedule = Schedule(
                id: tables.nextID("schedules"), name: fields.name, cron: fields.cron, timezone: fields.timezone, env: fields.env, job: fields.job,
                enabled: fields.enabled, nextRunAt: fields.nextRunAt, createdAt: now, updatedAt: now
            )
            tables.schedules[schedule.id] = schedule
            return schedule
        }
    }

    func update(id: Int64, _ fields: ScheduleFields) async throws -> Schedule {
        try store.update { tables in
            guard var schedule = tables.schedules[id] else { throw APIError.notFound("schedule", id: "\(id)") }
            guard !tables.schedules.values.contains(where: { $0.name == fields.name && $0.id != id }) else {
                throw SchedulePostgresRepository.nameTaken(fields.name)
            }
            (schedule.name, schedule.cron, schedule.timezone, schedule.env) = (fields.name, fields.cron, fields.timezone, fields.env)
            (schedule.job, schedule.enabled, schedule.nextRunAt, schedule.updatedAt) = (fields.job, fields.enabled, fields.nextRunAt, Date())
            tables.schedules[id] = schedule
            return schedule
        }
    }

    func list() async throws -> [Schedule] {
        store.read { $0.schedules.values.sorted { $0.id < $1.id } }
    }

    func get(id: Int64) async throws -> Schedule? {
        store.read { $0.schedules[id] }
    }

    func delete(id: Int64) async throws {
        try store.update { tables in
            guard tables.schedules.removeValue(forKey: id) != nil else { throw APIError.notFound("schedule", id: "\(id)") }
            for (jobID, job) in tables.jobs where job.scheduleID == id { tables.jobs[jobID]?.scheduleID = nil }
        }
    }

    func runDue(now: Date, limit: Int, _ run: @escaping @Sendable (Schedule) async -> ScheduleRun) async throws -> Int {
        let due = store.read { tables in
            tables.schedules.values.filter { $0.enabled && ($0.nextRunAt.map { $0 <= now } ?? false) }.sorted { $0.nextRunAt! < $1.nextRunAt! }
                .prefix(limit)
        }
        for schedule in due {
            let outcome = await run(schedule)
            try store.update { tables in
                tables.schedules[schedule.id]?.nextRunAt = outcome.next
                tables.schedules[schedule.id]?.lastRunAt = schedule.nextRunAt
                tables.schedules[schedule.id]?.lastJobUUID = outcome.jobUUID ?? schedule.lastJobUUID
                tables.schedules[schedule.id]?.lastError = outcome.error
            }
        }
        return due.count
    }
}
