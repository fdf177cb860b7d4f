import Foundation
import Shared

/// What one launch asks for, checked but not yet resolved against the database.
struct JobLaunch: Sendable {
    var env: String
    var playbookID: Int64
    var inventoryID: Int64
    var credentialID: Int64?
    var appID: Int64?
    var options: JobOptions
    var idempotencyKey: String?
    /// For a relaunch: the job it relaunches, and what that job ran, pinned (the inventory version, and the
    /// commit its split chose; nil when it never split).
    var relaunch: Relaunch? = nil
    /// The schedule launching it.
    var scheduleID: Int64? = nil

    struct Relaunch: Sendable {
        var of: UUID
        var inventoryVersion: String?
        var commit: String?
    }
}

/// The answer to a launch: the seed's fields plus `status`.
struct LaunchedJob: Codable, Hashable, Sendable {
    var id: Int64
    var uuid: UUID
    var env: String
    var playbookID: Int64?
    var inventoryID: Int64?
    var status: String
    /// The job this one relaunched; shown only for a relaunch.
    var relaunchOf: UUID? = nil

    enum CodingKeys: String, CodingKey {
        case id, uuid, env, status
        case playbookID = "playbook_id"
        case inventoryID = "inventory_id"
        case relaunchOf = "relaunch_of"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(uuid.uuidString.lowercased(), forKey: .uuid)
        try container.encode(env, forKey: .env)
        try container.encode(playbookID, forKey: .playbookID)
        try container.encode(inventoryID, forKey: .inventoryID)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(relaunchOf.map { $0.uuidString.lowercased() }, forKey: .relaunchOf)
    }
}
