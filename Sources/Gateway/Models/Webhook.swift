import Foundation

/// A webhook: where finished jobs are POSTed, signed with its secret (kept sealed, never shown).
struct Webhook: Sendable, Hashable {
    var id: Int64
    var url: String
    var events: [String]
    /// Only jobs of these envs; nil for every one.
    var envs: [String]?
    var createdAt: Date
}

/// A new webhook, its secret sealed.
struct WebhookFields: Sendable {
    var url: String
    var events: [String]
    var sealedSecret: Data
    var envs: [String]?
    var createdBy: Int64?
}

/// One event (a finished job) to deliver to one webhook, with every attempt so far.
struct WebhookDelivery: Sendable, Hashable {
    var id: Int64
    var event: String
    var jobUUID: UUID
    /// `pending`, `delivered` or `failed` (every attempt used).
    var status: String
    var attempts: [WebhookAttempt]
    var nextAttemptAt: Date?
    var createdAt: Date
    var deliveredAt: Date?
}

/// One POST of a delivery and what came of it.
struct WebhookAttempt: Sendable, Hashable, Codable {
    var attempt: Int
    var at: Date
    /// The receiver's status code; nil when no answer came.
    var statusCode: Int?
    var error: String?
    var durationMS: Int
}

/// A delivery taken for its next attempt.
struct DueDelivery: Sendable {
    var id: Int64
    var webhookID: Int64
    var url: String
    var sealedSecret: Data
    var event: String
    var jobUUID: UUID
    /// This attempt's number, from 1.
    var attempt: Int
    /// The body as first sent; nil before the first attempt.
    var payload: String?
}

/// How an attempt ends its delivery.
enum DeliveryOutcome: Sendable {
    case delivered
    case retry(at: Date)
    case failed
}
