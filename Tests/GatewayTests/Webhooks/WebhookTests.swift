import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Gateway

/// Webhooks with a real PostgreSQL and a real receiver: one signed delivery per finished job, retried with
/// backoff, kept across a gateway restart.
@Suite(.enabled(if: TestServices.available))
struct WebhookTests {
    static let secret = "a-webhook-secret-of-some-length"
    static let quick = WebhookDispatcher.Settings(interval: .milliseconds(100), initialBackoff: .milliseconds(200))

    /// Marks a job finished, as the collector does.
    static func finish(_ uuid: String, status: String = "successful", _ postgres: PostgresClient) async throws {
        try await postgres.query(
            "UPDATE jobs SET status = \(status), finished_at = now() WHERE uuid = \(try #require(UUID(uuidString: uuid)))")
    }

    static func launch(_ client: any TestClientProtocol, env: String = "alpha") async throws -> String {
        let fixtures = Fixtures(client: client)
        let job = try await fixtures.job(
            playbook: try await fixtures.playbook(name: "site-\(UUID())"), inventory: try await fixtures.inventory(name: "web-\(UUID())", env: env),
            env: env)
        return try #require(job.json["uuid"]?.stringValue)
    }

    static func expectSigned(_ received: WebhookReceiver.Received) {
        let expected = HMAC<SHA256>.authenticationCode(for: received.body, using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
        #expect(received.headers[HTTPField.Name("X-Pansible-Signature")!] == "sha256=\(expected)")
        #expect(received.headers[HTTPField.Name("X-Pansible-Event")!] == "job_finished")
    }

    @Test func eachFinishedJobIsDeliveredOnceSigned() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            try await GatewayTestApp.withApp(webhookSettings: Self.quick) { client, postgres in
                let created = try await client.create(
                    "/api/v1/webhook", ["url": .string(url.absoluteString), "secret": .string(Self.secret), "envs": ["alpha"]])
                #expect(created.status == .created, "\(created.json)")
                #expect(created.json["secret"] == nil)
                #expect(created.json["events"] == ["job_finished"])
                let id = try #require(created.json["id"]?.intValue)

                let first = try await Self.launch(client)
                let second = try await Self.launch(client)
                let other = try await Self.launch(client, env: "beta")
                try await Self.finish(first, postgres)
                try await Self.finish(second, status: "failed", postgres)
                try await Self.finish(other, postgres)
                #expect(await TestServices.eventually(timeout: .seconds(120)) { receiver.count >= 2 })
                // A final status set again is not a new finish.
                try await Self.finish(first, status: "failed", postgres)
                try await Task.sleep(for: .seconds(1))

                let received = receiver.received.withLockedValue { $0 }
                #expect(received.count == 2)
                let bodies = try received.map { try JSONDecoder().decode(JSONValue.self, from: $0.body) }
                #expect(Set(bodies.compactMap { $0["job", "uuid"]?.stringValue }) == [first, second])
                for (delivery, body) in zip(received, bodies) {
                    Self.expectSigned(delivery)
                    #expect(body["event"] == "job_finished")
                    let uuid = try #require(body["job", "uuid"]?.stringValue)
                    #expect(body["job", "status"]?.stringValue == (uuid == first ? "successful" : "failed"))
                    #expect(body["job", "hosts"] != nil, "\(body)")
                    #expect(body["links", "result"]?.stringValue?.hasSuffix("/api/v1/job/result/\(uuid)") == true)
                    #expect(delivery.headers[HTTPField.Name("X-Pansible-Delivery")!] == body["delivery_id"]?.intValue.map(String.init))
                }
                let deliveries = try await client.api("/api/v1/webhook/\(id)/deliveries", method: .get).json()["deliveries"]?.arrayValue ?? []
                #expect(deliveries.count == 2)
                #expect(deliveries.allSatisfy { $0["status"] == "delivered" && $0["attempts"]?.arrayValue?.count == 1 })
                #expect(deliveries.first?["attempts"]?.arrayValue?.first?["status_code"] == 200)
            }
        }
    }

    @Test func aReceiverThatFailsTwiceGetsItOnTheThirdTry() async throws {
        let receiver = WebhookReceiver(answers: [.internalServerError, .internalServerError])
        try await receiver.run { url in
            try await GatewayTestApp.withApp(webhookSettings: Self.quick) { client, postgres in
                let created = try await client.create("/api/v1/webhook", ["url": .string(url.absoluteString), "secret": .string(Self.secret)])
                let id = try #require(created.json["id"]?.intValue)
                let uuid = try await Self.launch(client)
                try await Self.finish(uuid, postgres)
                let delivered = await TestServices.eventually(timeout: .seconds(60)) {
                    let deliveries = try? await client.api("/api/v1/webhook/\(id)/deliveries", method: .get).json()["deliveries"]
                    return deliveries?.arrayValue?.first?["status"] == "delivered"
                }
                #expect(delivered)
                let delivery = try #require(
                    try await client.api("/api/v1/webhook/\(id)/deliveries", method: .get).json()["deliveries"]?.arrayValue?.first)
                #expect(delivery["attempts"]?.arrayValue?.map { $0["status_code"] } == [500, 500, 200])
                #expect(delivery["attempts"]?.arrayValue?.first?["error"]?.stringValue?.contains("500") == true)
                // Three posts of the same bytes.
                let bodies = receiver.received.withLockedValue { $0.map(\.body) }
                #expect(bodies.count == 3)
                #expect(Set(bodies).count == 1)
                receiver.received.withLockedValue { $0.forEach(Self.expectSigned) }
            }
        }
    }

    /// A job that finished while its receiver was away is delivered by the next gateway, from the database.
    @Test func aDeliveryOutlivesTheGateway() async throws {
        let database = try await TestServices.createDatabase()
        defer { Task { try? await TestServices.dropDatabase(database.name) } }
        // Nothing listens at this address yet.
        let port = TestServices.freePort()
        let url = "http://127.0.0.1:\(port)/hook"
        let id = try await GatewayTestApp.run(
            database: database.url, publisher: RecordingPublisher(), relaySettings: .init(), webhookSettings: Self.quick
        ) {
            client, postgres in
            let created = try await client.create("/api/v1/webhook", ["url": .string(url), "secret": .string(Self.secret)])
            let id = try #require(created.json["id"]?.intValue)
            try await Self.finish(try await Self.launch(client), postgres)
            let failed = await TestServices.eventually(timeout: .seconds(120)) {
                let deliveries = try? await client.api("/api/v1/webhook/\(id)/deliveries", method: .get).json()["deliveries"]
                return (deliveries?.arrayValue?.first?["attempts"]?.arrayValue?.count ?? 0) >= 1
            }
            #expect(failed)
            return id
        }
        let receiver = WebhookReceiver()
        try await receiver.run { receiverURL in
            // The receiver took the port that was free; point the webhook at where it listens.
            let postgres = try await TestServices.withPostgresClient(url: database.url) { postgres in
                try await postgres.query("UPDATE webhooks SET url = \(receiverURL.absoluteString) WHERE id = \(id)")
            }
            _ = postgres
            try await GatewayTestApp.run(database: database.url, publisher: RecordingPublisher(), relaySettings: .init(), webhookSettings: Self.quick)
            {
                client, _ in
                #expect(await TestServices.eventually(timeout: .seconds(120)) { receiver.count == 1 })
                let deliveries = try await client.api("/api/v1/webhook/\(id)/deliveries", method: .get).json()["deliveries"]?.arrayValue ?? []
                #expect(deliveries.first?["status"] == "delivered")
                #expect((deliveries.first?["attempts"]?.arrayValue?.count ?? 0) >= 2)
            }
        }
    }

    @Test(arguments: GatewayTestBackend.available)
    func badWebhooksAreRefusedAndOnlyAdminsManageThem(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            for (body, field) in [
                (["url": "ftp://x", "secret": .string(Self.secret)], "url"), (["url": "http://", "secret": .string(Self.secret)], "url"),
                (["url": "http://example.com/h", "secret": "short"], "secret"),
                (["url": "http://example.com/h", "secret": .string(Self.secret), "events": ["job_started"]], "events[0]"),
            ] as [(JSONValue, String)] {
                let response = try await client.create("/api/v1/webhook", body)
                #expect(response.status == .badRequest, "\(body): \(response.json)")
                #expect(response.json["error", "field"]?.stringValue == field, "\(body): \(response.json)")
            }
            let op = try #require(try await client.create("/api/v1/tokens", ["name": "op"]).json["token"]?.stringValue)
            #expect(try await client.api("/api/v1/webhook", method: .get, token: op).status == .forbidden)
            let created = try await client.create("/api/v1/webhook", ["url": "https://example.com/h", "secret": .string(Self.secret)])
            #expect(created.status == .created)
            let listed = try await client.api("/api/v1/webhook", method: .get).json()["webhooks"]?.arrayValue ?? []
            #expect(listed.count == 1)
            #expect(listed.first?["envs"] == .null)
            let id = try #require(created.json["id"]?.intValue)
            #expect(try await client.api("/api/v1/webhook/\(id)/deliveries", method: .get).json()["deliveries"] == [])
            #expect(try await client.api("/api/v1/webhook/\(id)", method: .delete).status == .noContent)
            #expect(try await client.api("/api/v1/webhook/\(id)", method: .get).status == .notFound)
        }
    }
}
