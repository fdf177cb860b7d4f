import Foundation

/// Webhooks and what was delivered to them.
protocol WebhookRepository: ResourceRepository where Resource == Webhook {
    func create(_ fields: WebhookFields) async throws -> Webhook
    /// The webhook's deliveries, newest first, each with its attempts.
    func deliveries(webhook: Int64, limit: Int) async throws -> [WebhookDelivery]
}
