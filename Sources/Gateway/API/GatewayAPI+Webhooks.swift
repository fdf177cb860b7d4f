import Foundation
import Shared

/// `/api/v1/webhook`: where finished jobs are POSTed (see `WebhookDispatcher`). Admins only, since a webhook
/// receives every job of its envs; an admin scoped to some envs makes webhooks within them (its envs by default).
extension GatewayAPI {
    func createWebhook(_ input: Operations.CreateWebhook.Input) async throws -> Operations.CreateWebhook.Output {
        let principal = try require(.admin)
        let body =
            switch input.body {
            case .json(let body): body
            }
        let url = body.url.trimmingCharacters(in: .whitespaces)
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host?.isEmpty == false else {
            throw APIError.invalidField("url", "expected an http:// or https:// URL, got '\(url)'")
        }
        guard body.secret.count >= 16 else { throw APIError.invalidField("secret", "must be at least 16 characters") }
        let events = body.events.map { Array(Set($0.map(\.rawValue))).sorted() } ?? ["job_finished"]
        guard !events.isEmpty else { throw APIError.invalidField("events", "must name at least one event") }
        var envs = try Self.envs(body.envs, field: "envs")
        if envs == nil, let scope = principal.envs { envs = scope.sorted() }
        guard principal.covers(envs: envs.map(Set.init)) else {
            throw APIError.forbidden("the token '\(principal.name)' may only make webhooks for its own envs", field: "envs")
        }
        let webhook = try await services.webhooks.create(
            WebhookFields(
                url: url, events: events, sealedSecret: try services.sealer.seal(bytes: Data(body.secret.utf8)), envs: envs,
                createdBy: principal.tokenID)
        )
        audit(resourceID: "\(webhook.id)")
        return .created(.init(body: .json(WebhookView(webhook: webhook))))
    }

    func listWebhooks(_ input: Operations.ListWebhooks.Input) async throws -> Operations.ListWebhooks.Output {
        let principal = try require(.admin)
        let webhooks = try await services.webhooks.list().filter { principal.covers(envs: $0.envs.map(Set.init)) }
        return .ok(.init(body: .json(ResourceList(webhooks.map { WebhookView(webhook: $0) }))))
    }

    func getWebhook(_ input: Operations.GetWebhook.Input) async throws -> Operations.GetWebhook.Output {
        .ok(.init(body: .json(WebhookView(webhook: try await requireWebhook(input.path.id)))))
    }

    func deleteWebhook(_ input: Operations.DeleteWebhook.Input) async throws -> Operations.DeleteWebhook.Output {
        try await services.webhooks.delete(id: try await requireWebhook(input.path.id).id)
        return .noContent(.init())
    }

    /// Newest first, at most `limit` (default 50, at most 500), each with every attempt.
    func webhookDeliveries(_ input: Operations.WebhookDeliveries.Input) async throws -> Operations.WebhookDeliveries.Output {
        let webhook = try await requireWebhook(input.path.id)
        let limit = try Self.parameter(input.query.limit, name: "limit", range: 1...500) ?? 50
        let deliveries = try await services.webhooks.deliveries(webhook: webhook.id, limit: Int(limit))
        return .ok(.init(body: .json(ResourceList(deliveries.map { WebhookDeliveryView(delivery: $0) }))))
    }

    /// The webhook, for an admin whose scope covers it (404 otherwise); notes it for the audit log.
    private func requireWebhook(_ id: Int) async throws -> Webhook {
        let principal = try require(.admin)
        let webhook = try await get(id, from: services.webhooks, name: "webhook")
        guard principal.covers(envs: webhook.envs.map(Set.init)) else { throw APIError.notFound("webhook", id: "\(webhook.id)") }
        audit(resourceID: "\(webhook.id)")
        return webhook
    }
}
