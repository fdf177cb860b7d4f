import Foundation
import Shared

/// A job as stored in `jobs`.
struct Job: Sendable, Equatable {
    var id: Int64
    var uuid: UUID
    var env: String
    var playbookID: Int64?
    var inventoryID: Int64?
    var inventoryVersion: String?
    var appID: Int64?
    var credentialID: Int64?
    /// The job options as JSON text.
    var options: String
    var status: String
    var statusReason: String?
    var playbookCommit: String?
    var shardCount: Int?
    var hostCount: Int?
    var cancelRequestedAt: Date?
    var createdAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    var updatedAt: Date
    var deadlineAt: Date?

    var json: JSONValue {
        let options = (try? JSONDecoder().decode(JSONValue.self, from: Data(options.utf8))) ?? .object([:])
        return [
            "id": .int(id), "uuid": .from(uuid), "env": .string(env), "playbook_id": .from(playbookID), "inventory_id": .from(inventoryID),
            "inventory_version": .from(inventoryVersion), "app_id": .from(appID), "credential_id": .from(credentialID), "options": options,
            "status": .string(status), "status_reason": .from(statusReason), "playbook_commit": .from(playbookCommit),
            "shard_count": .from(shardCount), "host_count": .from(hostCount), "cancel_requested_at": .from(cancelRequestedAt),
            "created_at": .from(createdAt), "started_at": .from(startedAt), "finished_at": .from(finishedAt), "updated_at": .from(updatedAt),
            "deadline": .from(deadlineAt),
        ]
    }
}

/// The filters and page of `GET /api/v1/jobs`.
struct JobQuery: Sendable {
    /// Only jobs with an id below this one.
    var cursor: Int64?
    var status: String?
    var env: String?
    var appID: Int64?
    var limit: Int64
}
