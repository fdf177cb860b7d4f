import Foundation
import Shared

/// Webhooks in a `GatewayMemoryStore`. Jobs there never finish, so no delivery is ever queued.
struct WebhookMemoryRepository: WebhookRepository {
    let store: GatewayMemoryStore

    func create(_ fields: WebhookFields) async throws -> Webhook {
        try store.update { tables in
            let webhook = Webhook(id: tables.nextID("webhooks"), url: fields.url, events: fields.events, envs: fields.envs, createdAt: Date())
            tables.webhooks[webhook.id] = webhook
            return webhook
        }
    }

    func list() async throws -> [Webhook] {
        store.read { $0.webhooks.values.sorted { $0.id < $1.id } }
    }

    func get(id: Int64) async throws -> Webhook? {
        store.read { $0.webhooks[id] }
    }

    func delete(id: Int64) async throws {
        try store.update { tables in
            guard tables.webhooks.removeValue(forKey: id) != nil else { throw APIError.notFound("webhook", id: "\(id)") }
        }
    }

    func deliveries(webhook: Int64, limit: Int) async throws -> [WebhookDelivery] {
        []
    }
}
