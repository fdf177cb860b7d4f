import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Gateway

@Suite(.enabled(if: TestServices.available))
struct AuthTests {
    @Test func requestsWithoutAValidTokenAreRefused() async throws {
        try await GatewayTestApp.withApp { client, _ in
            for token in [nil, "wrong", "pst_unknown", ""] as [String?] {
                let response = try await client.api("/api/v1/inventory", method: .get, token: token)
                #expect(response.status == .unauthorized)
                #expect(try response.json()["error", "code"] == "unauthorized")
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
            let basic = try await client.execute(uri: "/api/v1/jobs", method: .get, headers: [.authorization: "Basic abc"])
            #expect(basic.status == .unauthorized)
            #expect(try await client.api("/api/v1/inventory", method: .get).status == .ok)
        }
    }

    @Test func operationsRoutesAndTheFormNeedNoToken() async throws {
        try await GatewayTestApp.withApp { client, _ in
            for path in ["/healthz", "/metrics", "/api/v1/openapi.json", "/api/v1/openapi.yaml", "/", "/ui/inventory"] {
                let response = try await client.api(path, method: .get, token: nil)
                #expect(response.status == .ok, "\(path)")
            }
            // Readiness asks the database, which a loaded machine may answer late: ready within a minute.
            let ready = try await TestServices.eventually(timeout: .seconds(60)) {
                try await client.api("/readyz", method: .get, token: nil).status == .ok
            }
            #expect(ready)
        }
    }

    @Test func apiTokensAreShownOnceStoredHashedAndRevocable() async throws {
        try await GatewayTestApp.withApp { client, postgres in
            let created = try await client.create("/api/v1/tokens", ["name": "ci"])
            #expect(created.status == .created)
            let token = try #require(created.json["token"]?.stringValue)
            let id = try #require(created.json["id"]?.intValue)
            #expect(token.hasPrefix("pst_"))

            // Only the hash is stored.
            let stored = try await postgres.query("SELECT token_hash FROM api_tokens WHERE id = \(id)").decode(ByteBuffer.self)
                .first { _ in true }
            #expect(stored.map { Array($0.readableBytesView) } == TokenHasher.hash(token))

            #expect(try await client.api("/api/v1/inventory", method: .get, token: token).status == .ok)
            // API tokens do not manage tokens.
            #expect(try await client.api("/api/v1/tokens", method: .get, token: token).status == .forbidden)

            let list = try await client.api("/api/v1/tokens", method: .get)
            let listed = try list.json()["tokens"]?.arrayValue ?? []
            #expect(listed.count == 1)
            #expect(listed.first?["token"] == nil)
            #expect(!list.text.contains(token))

            #expect(try await client.api("/api/v1/tokens/\(id)", method: .delete).status == .noContent)
            #expect(try await client.api("/api/v1/inventory", method: .get, token: token).status == .unauthorized)
            #expect(try await client.api("/api/v1/tokens/999999", method: .delete).status == .notFound)
        }
    }

    @Test func constantTimeComparisonMatchesEquality() {
        #expect(TokenHasher.constantTimeEquals("abc", "abc"))
        #expect(!TokenHasher.constantTimeEquals("abc", "abd"))
        #expect(!TokenHasher.constantTimeEquals("abc", "abcd"))
        #expect(!TokenHasher.constantTimeEquals("", "a"))
        #expect(Authenticator.bearerToken("Bearer  xyz ") == "xyz")
        #expect(Authenticator.bearerToken("bearer xyz") == "xyz")
        #expect(Authenticator.bearerToken("Bearer") == nil)
        #expect(Authenticator.bearerToken("Token xyz") == nil)
        #expect(TokenHasher.generate() != TokenHasher.generate())
    }
}
