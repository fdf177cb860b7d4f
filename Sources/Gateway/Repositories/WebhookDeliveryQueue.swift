import Foundation

/// The deliveries waiting to be sent: queued by the database when a job finishes (a trigger), taken by the
/// gateways' `WebhookDispatcher`s.
protocol WebhookDeliveryQueue: Sendable {
    /// Takes up to `limit` due deliveries, counting an attempt for each; no other gateway takes them again before
    /// `lease` has passed, after which a delivery whose attempt never reported (its gateway stopped) is due again.
    func takeDue(limit: Int, lease: Duration) async throws -> [DueDelivery]
    /// Keeps the body of a delivery's first attempt, for every later one.
    func savePayload(delivery: Int64, payload: String) async throws
    /// Records an attempt and what it makes of the delivery.
    func record(_ attempt: WebhookAttempt, delivery: Int64, outcome: DeliveryOutcome) async throws
}
