import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Shared

/// Sends queued webhook deliveries, in every gateway: each is taken by one gateway for a lease, POSTed as JSON
/// signed with the webhook's secret (`X-Pansible-Signature: sha256=<hex HMAC-SHA256 of the body>`), and
/// recorded. A delivery that fails (no answer, or not 2xx) is tried again after a backoff that doubles, up to
/// `maxAttempts`; one whose gateway stopped mid-attempt is taken again once its lease runs out. Deliveries
/// live in PostgreSQL, so none is lost across restarts: each is delivered at least once, and the receiver can
/// tell a repeat by `X-Pansible-Delivery`.
struct WebhookDispatcher: Service {
    struct Settings: Sendable {
        var interval: Duration = .seconds(1)
        var batchSize = 20
        var lease: Duration = .seconds(120)
        var timeout: Duration = .seconds(10)
        var initialBackoff: Duration = .seconds(5)
        var maximumBackoff: Duration = .seconds(3600)
        var maxAttempts = 10
    }

    let queue: any WebhookDeliveryQueue
    let jobs: any JobRepository
    let sealer: CredentialSealer
    /// The gateway's address as clients reach it, for the links in each body.
    let publicURL: String
    let startup: StartupGate?
    var settings = Settings()
    let logger: Logger

    func run() async throws {
        await PollingLoop.run(every: settings.interval, after: startup) { await sendDue() }
    }

    /// Sends what is due now, several at once (the database away: logged, tried again on the next look).
    func sendDue() async {
        do {
            while true {
                let due = try await queue.takeDue(limit: settings.batchSize, lease: settings.lease)
                await withTaskGroup(of: Void.self) { group in
                    for delivery in due { group.addTask { await send(delivery) } }
                }
                if due.count < settings.batchSize { return }
            }
        } catch {
            logger.warning("could not take due webhook deliveries; trying again", metadata: ["error": "\(error)"])
        }
    }

    func send(_ delivery: DueDelivery) async {
        var metadata: Logger.Metadata = [
            "webhook.id": "\(delivery.webhookID)", "delivery.id": "\(delivery.id)", "delivery.attempt": "\(delivery.attempt)",
        ]
        let started = ContinuousClock.now
        var statusCode: Int?
        var failure: String?
        do {
            let payload = try await body(of: delivery)
            let secret = try sealer.open(bytes: delivery.sealedSecret)
            var request = HTTPClientRequest(url: delivery.url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "pansible-gateway")
            request.headers.add(name: "X-Pansible-Event", value: delivery.event)
            request.headers.add(name: "X-Pansible-Delivery", value: "\(delivery.id)")
            request.headers.add(name: "X-Pansible-Signature", value: "sha256=" + Self.signature(of: Data(payload.utf8), secret: secret))
            request.body = .bytes(ByteBuffer(string: payload))
            let response = try await HTTPClient.shared.execute(request, timeout: TimeAmount(settings.timeout))
            statusCode = Int(response.status.code)
            // The answer's body is not needed; read a little of it so the connection can be reused.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            if !(200..<300).contains(Int(response.status.code)) { failure = "the receiver answered \(response.status.code)" }
        } catch {
            failure = "\(error)"
        }
        let outcome = outcome(attempt: delivery.attempt, failed: failure != nil)
        let attempt = WebhookAttempt(
            attempt: delivery.attempt, at: Date(), statusCode: statusCode, error: failure,
            durationMS: (ContinuousClock.now - started).wholeMilliseconds
        )
        metadata["http.status"] = "\(statusCode.map(String.init) ?? "none")"
        do {
            try await queue.record(attempt, delivery: delivery.id, outcome: outcome)
        } catch {
            metadata["error"] = "\(error)"
            logger.warning("could not record a webhook attempt; the delivery is tried again after its lease", metadata: metadata)
            return
        }
        switch outcome {
        case .delivered:
            logger.info("webhook delivered", metadata: metadata)
        case .retry(let at):
            metadata["error"] = "\(failure ?? "")"
            metadata["delivery.next_attempt_at"] = "\(Timestamp.format(at))"
            logger.notice("webhook delivery failed; trying again later", metadata: metadata)
        case .failed:
            metadata["error"] = "\(failure ?? "")"
            logger.error("webhook delivery failed for the last time", metadata: metadata)
        }
    }

    /// What an attempt makes of its delivery.
    func outcome(attempt: Int, failed: Bool) -> DeliveryOutcome {
        guard failed else { return .delivered }
        guard attempt < settings.maxAttempts else { return .failed }
        let backoff = min(settings.initialBackoff * (1 << min(attempt - 1, 30)), settings.maximumBackoff)
        return .retry(at: Date().addingTimeInterval(Double(backoff.components.seconds) + Double(backoff.components.attoseconds) / 1e18))
    }

    /// The body: the event, the job as `GET /api/v1/job/{uuid}` shows it, and links; built on the first attempt
    /// and kept, so every attempt sends the same bytes.
    func body(of delivery: DueDelivery) async throws -> String {
        if let payload = delivery.payload { return payload }
        let uuid = delivery.jobUUID.uuidString.lowercased()
        let job: JSONValue
        if let details = try await jobs.details(uuid: delivery.jobUUID) {
            job = try MessageCoding.decode(JSONValue.self, from: try MessageCoding.encode(JobView(details)))
        } else {
            job = ["uuid": .string(uuid)]
        }
        let base = "\(publicURL)/api/v1/job"
        let body: JSONValue = [
            "event": .string(delivery.event), "delivery_id": .int(delivery.id), "job": job,
            "links": [
                "job": .string("\(base)/\(uuid)"), "result": .string("\(base)/result/\(uuid)"), "stdout": .string("\(base)/\(uuid)/stdout"),
                "events": .string("\(base)/\(uuid)/events"),
            ],
        ]
        let payload = String(decoding: try MessageCoding.encode(body), as: UTF8.self)
        try await queue.savePayload(delivery: delivery.id, payload: payload)
        return payload
    }

    /// Hex of HMAC-SHA256 of `body` under `secret`.
    static func signature(of body: Data, secret: Data) -> String {
        HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret)).map { String(format: "%02x", $0) }.joined()
    }
}
