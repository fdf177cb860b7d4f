import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Prometheus
import Shared
import TestSupport
import Testing

@testable import Gateway

/// Where a route test's gateway keeps its data: the in-memory repositories (no services needed), or
/// PostgreSQL (where the services are, as under `make test`), so one test covers both implementations.
enum GatewayTestBackend: String, Sendable, CustomTestStringConvertible {
    case memory, postgres

    /// Memory always; PostgreSQL too when the test services are there.
    static var available: [GatewayTestBackend] {
        TestServices.available ? [.memory, .postgres] : [.memory]
    }

    var testDescription: String { rawValue }
}

/// What a test may look at behind the API.
struct GatewayTestStorage: Sendable {
    /// Rows in the tables the API writes (inventories, playbooks, apps, jobs, outbox, and credentials in memory).
    let rowCount: @Sendable () async throws -> Int64
    /// The stored digest of an API token.
    let tokenDigest: @Sendable (_ id: Int64) async throws -> [UInt8]?
}

extension GatewayTestApp {
    /// Runs `body` with a client for a gateway on `backend`, fresh for this test.
    static func withApp<T: Sendable>(
        on backend: GatewayTestBackend, _ body: @Sendable (any TestClientProtocol, GatewayTestStorage) async throws -> T
    ) async throws -> T {
        switch backend {
        case .memory:
            return try await withMemoryApp { client, store in
                let storage = GatewayTestStorage(
                    rowCount: { Int64(store.rowCount) },
                    tokenDigest: { id in TokenMemoryRepository(store: store).digest(id: id) }
                )
                return try await body(client, storage)
            }
        case .postgres:
            return try await withApp { client, postgres in
                let storage = GatewayTestStorage(
                    rowCount: {
                        try await postgres.query(
                            """
                            SELECT (SELECT count(*) FROM inventories) + (SELECT count(*) FROM playbooks) + (SELECT count(*) FROM apps)
                                 + (SELECT count(*) FROM jobs) + (SELECT count(*) FROM outbox)
                            """
                        ).decode(Int64.self).first { _ in true } ?? 0
                    },
                    tokenDigest: { id in
                        try await postgres.query("SELECT token_hash FROM api_tokens WHERE id = \(id)").decode(ByteBuffer.self)
                            .first { _ in true }.map { Array($0.readableBytesView) }
                    }
                )
                return try await body(client, storage)
            }
        }
    }

    /// Runs `body` with a client for a gateway on the in-memory repositories: no database, no broker.
    static func withMemoryApp<T: Sendable>(_ body: @Sendable (any TestClientProtocol, GatewayMemoryStore) async throws -> T) async throws -> T {
        let store = GatewayMemoryStore()
        let app = Application(router: try memoryRouter(store: store))
        return try await app.test(.router) { client in try await body(client, store) }
    }

    /// The gateway's router, built as the gateway builds it, on the in-memory repositories.
    static func memoryRouter(store: GatewayMemoryStore = GatewayMemoryStore()) throws -> Router<GatewayRequestContext> {
        let services = GatewayServices.memory(
            store: store, sealer: try CredentialSealer(base64Key: secretKey), maxBodySize: maxBodySize
        )
        return try buildRouter(
            services: services, authenticator: Authenticator(adminToken: adminToken, tokens: services.tokens), readinessChecks: [],
            registry: PrometheusCollectorRegistry(), contract: try APIContract()
        )
    }
}
