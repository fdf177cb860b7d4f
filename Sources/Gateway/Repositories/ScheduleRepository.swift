import Foundation

/// Schedules, and the claiming of their due runs.
protocol ScheduleRepository: ResourceRepository where Resource == Schedule {
    /// Stores a new schedule: 409 `already_exists` when one has that name.
    func create(_ fields: ScheduleFields) async throws -> Schedule
    /// Replaces a schedule's fields: 404 without it, 409 `already_exists` when another has the new name.
    func update(id: Int64, _ fields: ScheduleFields) async throws -> Schedule
    /// Runs the schedules due at `now` (at most `limit`), each by `run` while no other gateway can take it, and
    /// stores what each run did and its next due time. Returns how many ran.
    func runDue(now: Date, limit: Int, _ run: @escaping @Sendable (Schedule) async -> ScheduleRun) async throws -> Int
}
