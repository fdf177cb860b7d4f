import Foundation

/// An instruction to every worker, published to the fanout exchange `pansible.control`.
public struct ControlMessage: Codable, Sendable, Equatable {
    public static let currentSchema = 1

    public enum Action: String, Codable, Sendable {
        /// Stop the job's running shards and drop its queued ones.
        case cancel
    }

    public var schema: Int
    public var action: Action
    public var jobUUID: UUID
    public var issuedAt: Date

    public init(action: Action, jobUUID: UUID, issuedAt: Date = Date()) {
        self.schema = Self.currentSchema
        self.action = action
        self.jobUUID = jobUUID
        self.issuedAt = issuedAt
    }

    public var messageID: String { "job/\(jobUUID.uuidString.lowercased())/\(action.rawValue)" }

    enum CodingKeys: String, CodingKey {
        case schema, action
        case jobUUID = "job_uuid"
        case issuedAt = "issued_at"
    }
}
