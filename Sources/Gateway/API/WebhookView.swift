import Foundation

/// `#/components/schemas/Webhook`: a webhook without its secret.
struct WebhookView: ListedView {
    static let listKey = "webhooks"
    var webhook: Webhook

    enum CodingKeys: String, CodingKey {
        case id, url, events, envs
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(webhook.id, forKey: .id)
        try container.encode(webhook.url, forKey: .url)
        try container.encode(webhook.events, forKey: .events)
        try container.encode(webhook.envs, forKey: .envs)
        try container.encode(webhook.createdAt, forKey: .createdAt)
    }
}
