import Foundation
import Logging
import NIOCore
import PostgresNIO
import Shared

/// Webhooks in `webhooks`, their deliveries in `webhook_deliveries` and `webhook_attempts`.
struct WebhookPostgresRepository: WebhookRepository, WebhookDeliveryQueue {
    let client: PostgresClient
    let logger: Logger

    func create(_ fields: WebhookFields) async throws -> Webhook {
        let created = try await client.record(
            """
            INSERT INTO webhooks (url, events, sealed_secret, envs, created_by)
            VALUES (\(fields.url), \(fields.events), \(fields.sealedSecret), \(fields.envs), \(fields.createdBy))
            RETURNING \(unescaped: Webhook.columns)
            """,
            logger: logger, Webhook.init(row:)
        )
        guard let created else { throw APIError(.internalServerError, code: "internal", message: "the webhook was not stored") }
        return created
    }

    func list() async throws -> [Webhook] {
        try await client.records("SELECT \(unescaped: Webhook.columns) FROM webhooks ORDER BY id", logger: logger, Webhook.init(row:))
    }

    func get(id: Int64) async throws -> Webhook? {
        try await client.record("SELECT \(unescaped: Webhook.columns) FROM webhooks WHERE id = \(id)", logger: logger, Webhook.init(row:))
    }

    /// Its deliveries go with it.
    func delete(id: Int64) async throws {
        let deleted = try await client.record("DELETE FROM webhooks WHERE id = \(id) RETURNING id", logger: logger) { _ in true }
        guard deleted != nil else { throw APIError.notFound("webhook", id: "\(id)") }
    }

    func deliveries(webhook: Int64, limit: Int) async throws -> [WebhookDelivery] {
        try await client.records(
            """
            SELECT d.id, d.event, d.job_uuid, d.status, d.next_attempt_at, d.created_at, d.delivered_at,
                   coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'at', extract(epoch FROM a.at), 'status_code', a.status_code,
                                                               'error', a.error, 'duration_ms', a.duration_ms) ORDER BY a.attempt)
                             FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]')::text AS attempts
            FROM webhook_deliveries d WHERE d.webhook_id = \(webhook) ORDER BY d.id DESC LIMIT \(limit)
            """,
            logger: logger
        ) { row in
            try row.columns { c in
                let status = try c("status", as: String.self)
                return WebhookDelivery(
                    id: try c("id"), event: try c("event"), jobUUID: try c("job_uuid"), status: status,
                    attempts: try Self.attempts(try c("attempts", as: String.self)),
                    nextAttemptAt: status == "pending" ? try c("next_attempt_at") : nil, createdAt: try c("created_at"),
                    deliveredAt: try c("delivered_at")
                )
            }
        }
    }

    func takeDue(limit: Int, lease: Duration) async throws -> [DueDelivery] {
        let seconds = Double(lease.components.seconds)
        return try await client.records(
            """
            UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => \(seconds))
            FROM webhooks w
            WHERE w.id = d.webhook_id AND d.id IN (
                SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING d.id, d.webhook_id, w.url, w.sealed_secret, d.event, d.job_uuid, d.attempts, d.payload
            """,
            logger: logger
        ) { row in
            try row.columns { c in
                DueDelivery(
                    id: try c("id"), webhookID: try c("webhook_id"), url: try c("url"),
                    sealedSecret: Data(try c("sealed_secret", as: ByteBuffer.self).readableBytesView), event: try c("event"),
                    jobUUID: try c("job_uuid"), attempt: try c("attempts"), payload: try c("payload")
                )
            }
        }
    }

    func savePayload(delivery: Int64, payload: String) async throws {
        try await client.query("UPDATE webhook_deliveries SET payload = \(payload) WHERE id = \(delivery) AND payload IS NULL", logger: logger)
    }

    func record(_ attempt: WebhookAttempt, delivery: Int64, outcome: DeliveryOutcome) async throws {
        let (status, next): (String, Date?) =
            switch outcome {
            case .delivered: ("delivered", nil)
            case .retry(let at): ("pending", at)
            case .failed: ("failed", nil)
            }
        try await client.withWatchedTransaction(logger: logger) { [logger] connection in
            try await connection.query(
                """
                INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
                VALUES (\(delivery), \(attempt.attempt), \(attempt.at), \(attempt.statusCode), \(attempt.error), \(attempt.durationMS))
                ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
            try await connection.query(
                """
                UPDATE webhook_deliveries SET status = \(status), next_attempt_at = coalesce(\(next), next_attempt_at),
                    delivered_at = CASE WHEN \(status) = 'delivered' THEN now() END
                WHERE id = \(delivery)
                """,
                logger: logger
            )
        }
    }

    /// The attempts as PostgreSQL's `json_agg` writes them (`at` in seconds since 1970).
    static func attempts(_ json: String) throws -> [WebhookAttempt] {
        struct Row: Decodable {
            var attempt: Int
            var at: Double
            var status_code: Int?
            var error: String?
            var duration_ms: Int
        }
        return try JSONDecoder().decode([Row].self, from: Data(json.utf8)).map { row in
            WebhookAttempt(
                attempt: row.attempt, at: Date(timeIntervalSince1970: row.at), statusCode: row.status_code, error: row.error,
                durationMS: row.duration_ms
            )
        }
    }
}
