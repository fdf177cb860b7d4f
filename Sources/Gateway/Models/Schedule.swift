import Foundation

/// A schedule as stored in `schedules`: a cron timetable, read in a time zone, and the job each due time launches.
struct Schedule: Sendable, Hashable {
    var id: Int64
    var name: String
    var cron: String
    var timezone: String
    var env: String
    /// The body of `POST /api/v1/job` each run launches, as JSON text.
    var job: String
    var enabled: Bool
    var nextRunAt: Date?
    var lastRunAt: Date?
    var lastJobUUID: UUID?
    var lastError: String?
    var createdAt: Date
    var updatedAt: Date
}

/// A schedule's fields, checked, with its next due time worked out.
struct ScheduleFields: Sendable {
    var name: String
    var cron: String
    var timezone: String
    var env: String
    var job: String
    var enabled: Bool
    var nextRunAt: Date?
    /// The API token that made it (nil for the admin token).
    var createdBy: Int64?
}

/// What one due run of a schedule did, and when it is due next.
struct ScheduleRun: Sendable {
    var jobUUID: UUID?
    var error: String?
    var next: Date?
}
