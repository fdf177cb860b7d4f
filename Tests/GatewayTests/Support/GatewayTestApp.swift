import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Shared
import TestSupport

@testable import Gateway

/// A gateway on a fresh database, driven in-process.
enum GatewayTestApp {
    static let adminToken = "test-admin-token"
    /// 32 bytes of 0x01, base64.
    static let secretKey = Data(repeating: 1, count: 32).base64EncodedString()
    static let maxBodySize = 64 * 1024

    static func configuration(databaseURL: URL, extra: [String: String] = [:]) throws -> PansibleConfiguration {
        var values = [
            "database.url": databaseURL.absoluteString, "admin_token": adminToken, "secret_key": secretKey,
            "max_body_size": "\(maxBodySize)", "port": "127.0.0.1:0",
        ]
        values.merge(extra) { _, new in new }
        return try PansibleConfiguration(source: TestServices.configurationSource(values))
    }

    /// Runs `body` with a client for the gateway's routes and a PostgreSQL client on the same fresh database.
    static func withApp<T: Sendable>(
        publisher: any MessagePublishing = RecordingPublisher(), relaySettings: OutboxRelay.Settings = .init(),
        webhookSettings: WebhookDispatcher.Settings = .init(), _ body: @Sendable (any TestClientProtocol, PostgresClient) async throws -> T
    ) async throws -> T {
        let database = try await TestServices.createDatabase()
        do {
            let result = try await run(
                database: database.url, publisher: publisher, relaySettings: relaySettings, webhookSettings: webhookSettings, body)
            try await TestServices.dropDatabase(database.name)
            return result
        } catch {
            try? await TestServices.dropDatabase(database.name)
            throw error
        }
    }

    static func run<T: Sendable>(
        database: URL, publisher: any MessagePublishing, relaySettings: OutboxRelay.Settings, webhookSettings: WebhookDispatcher.Settings = .init(),
        _ body: @Sendable (any TestClientProtocol, PostgresClient) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "test.gateway")
        logger.logLevel = .warning
        let app = try buildApplication(
            configuration: try configuration(databaseURL: database), logger: logger, publisher: publisher, relaySettings: relaySettings,
            webhookSettings: webhookSettings
        )
        return try await app.test(.router) { client in
            try await TestServices.withPostgresClient(url: database) { postgres in
                try await body(client, postgres)
            }
        }
    }
}

/// Records what the relay publishes; can be told to fail, like a broker that is down.
actor RecordingPublisher: MessagePublishing {
    private(set) var published: [OutgoingMessage] = []
    var failing = false
    /// Time each publish takes.
    var delay: Duration = .zero

    init(failing: Bool = false) {
        self.failing = failing
    }

    func setFailing(_ failing: Bool) { self.failing = failing }
    func setDelay(_ delay: Duration) { self.delay = delay }

    func publish(_ messages: [OutgoingMessage]) async throws {
        if delay > .zero { try await Task.sleep(for: delay) }
        if failing { throw MessagingError.broker("connection refused") }
        published.append(contentsOf: messages)
    }

    /// Waits until `count` messages were published (or 10 s passed).
    func waitForCount(_ count: Int) async -> [OutgoingMessage] {
        for _ in 0..<1000 where published.count < count {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return published
    }
}

extension TestClientProtocol {
    /// A request with the admin token and a JSON body.
    func api(
        _ uri: String, method: HTTPRequest.Method, token: String? = GatewayTestApp.adminToken, json: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        if json != nil, fields[.contentType] == nil { fields[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: fields, body: json.map { ByteBuffer(string: $0) })
    }

    /// POSTs a JSON value and returns the answer's JSON.
    func create(_ uri: String, _ value: JSONValue) async throws -> (status: HTTPResponse.Status, json: JSONValue) {
        let response = try await api(uri, method: .post, json: String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
        return (response.status, try response.json())
    }
}

extension TestResponse {
    func json() throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
    }

    var text: String { String(buffer: body) }
}

extension JSONValue {
    /// `value["error"]["code"]` and the like.
    subscript(path: String...) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current
    }
}
