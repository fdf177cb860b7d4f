import Foundation
import Shared

/// A job as stored in `jobs`.
struct Job: Sendable, Hashable {
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
    /// The job this one relaunched.
    var relaunchOf: UUID? = nil
    /// The schedule that launched it.
    var scheduleID: Int64? = nil
}

/// The filters and page of `GET /api/v1/jobs`.
struct JobQuery: Sendable {
    /// Only jobs with an id below this one.
    var cursor: Int64?
    var status: String?
    var env: String?
    var appID: Int64?
    var limit: Int64
    /// Only jobs of these environments (a token's scope); nil for every one.
    var envs: [String]? = nil
}
