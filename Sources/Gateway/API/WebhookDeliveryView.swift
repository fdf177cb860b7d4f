import Foundation

/// `#/components/schemas/WebhookDelivery`: a delivery with every attempt.
struct WebhookDeliveryView: ListedView {
    static let listKey = "deliveries"
    var delivery: WebhookDelivery

    enum CodingKeys: String, CodingKey {
        case id, event, status, attempts
        case jobUUID = "job_uuid"
        case nextAttemptAt = "next_attempt_at"
        case createdAt = "created_at"
        case deliveredAt = "delivered_at"
    }

    enum AttemptKeys: String, CodingKey {
        case attempt, at, error
        case statusCode = "status_code"
        case durationMS = "duration_ms"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(delivery.id, forKey: .id)
        try container.encode(delivery.event, forKey: .event)
        try container.encode(delivery.jobUUID.uuidString.lowercased(), forKey: .jobUUID)
        try container.encode(delivery.status, forKey: .status)
        var attempts = container.nestedUnkeyedContainer(forKey: .attempts)
        for attempt in delivery.attempts {
            var fields = attempts.nestedContainer(keyedBy: AttemptKeys.self)
            try fields.encode(attempt.attempt, forKey: .attempt)
            try fields.encode(attempt.at, forKey: .at)
            try fields.encode(attempt.statusCode, forKey: .statusCode)
            try fields.encode(attempt.error, forKey: .error)
            try fields.encode(attempt.durationMS, forKey: .durationMS)
        }
        try container.encode(delivery.nextAttemptAt, forKey: .nextAttemptAt)
        try container.encode(delivery.createdAt, forKey: .createdAt)
        try container.encode(delivery.deliveredAt, forKey: .deliveredAt)
    }
}
