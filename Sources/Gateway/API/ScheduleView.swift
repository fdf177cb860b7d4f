import Foundation
import Shared

/// `#/components/schemas/Schedule`: a schedule with its job body as given, and its next and last runs.
struct ScheduleView: ListedView {
    static let listKey = "schedules"
    var schedule: Schedule

    enum CodingKeys: String, CodingKey {
        case id, name, cron, timezone, job, enabled
        case nextRunAt = "next_run_at"
        case lastRunAt = "last_run_at"
        case lastJobUUID = "last_job_uuid"
        case lastError = "last_error"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schedule.id, forKey: .id)
        try container.encode(schedule.name, forKey: .name)
        try container.encode(schedule.cron, forKey: .cron)
        try container.encode(schedule.timezone, forKey: .timezone)
        try container.encode(try JSONDecoder().decode(JSONValue.self, from: Data(schedule.job.utf8)), forKey: .job)
        try container.encode(schedule.enabled, forKey: .enabled)
        try container.encode(schedule.nextRunAt, forKey: .nextRunAt)
        try container.encode(schedule.lastRunAt, forKey: .lastRunAt)
        try container.encode(schedule.lastJobUUID.map { $0.uuidString.lowercased() }, forKey: .lastJobUUID)
        try container.encode(schedule.lastError, forKey: .lastError)
        try container.encode(schedule.createdAt, forKey: .createdAt)
        try container.encode(schedule.updatedAt, forKey: .updatedAt)
    }
}
