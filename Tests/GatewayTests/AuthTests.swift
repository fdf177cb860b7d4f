import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Gateway

/// Bearer tokens on every backend: the admin token, API tokens shown once, stored as digests, revocable.
struct AuthTests {
    @Test(arguments: GatewayTestBackend.available)
    func requestsWithoutAValidTokenAreRefused(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
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

    @Test(arguments: GatewayTestBackend.available)
    func apiTokensAreShownOnceStoredHashedAndRevocable(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, storage in
            let created = try await client.create("/api/v1/tokens", ["name": "ci"])
            #expect(created.status == .created)
            let token = try #require(created.json["token"]?.stringValue)
            let id = try #require(created.json["id"]?.intValue)
            #expect(token.hasPrefix("pst_"))

            // Only the hash is stored.
            #expect(try await storage.tokenDigest(id) == TokenHasher.hash(token))

            #expect(try await client.api("/api/v1/inventory", method: .get, token: token).status == .ok)
            // Tokens are operators by default, which do not manage tokens.
            #expect(try await client.api("/api/v1/tokens", method: .get, token: token).status == .forbidden)

            let list = try await client.api("/api/v1/tokens", method: .get)
            let listed = try list.json()["tokens"]?.arrayValue ?? []
            #expect(listed.count == 1)
            #expect(listed.first?["token"] == nil)
            #expect(listed.first?["last_used_at"]?.stringValue != nil)
            #expect(!list.text.contains(token))

            #expect(try await client.api("/api/v1/tokens/\(id)", method: .delete).status == .noContent)
            #expect(try await client.api("/api/v1/inventory", method: .get, token: token).status == .unauthorized)
            #expect(try await client.api("/api/v1/tokens/999999", method: .delete).status == .notFound)
        }
    }

    @Test func operationsRoutesAndTheFormNeedNoToken() async throws {
        try await GatewayTestApp.withMemoryApp { client, _ in
            for path in [
                "/healthz", "/readyz", "/metrics", "/api/v1/openapi.json", "/api/v1/openapi.yaml", "/", "/ui/inventory", "/ui/jobs",
                "/ui/jobs/6e63a20f-e1d9-47cc-84ae-cf5bd46d4161", "/ui/assets/job.js",
            ] {
                let response = try await client.api(path, method: .get, token: nil)
                #expect(response.status == .ok, "\(path)")
            }
        }
    }

    @Test func constantTimeComparisonMatchesEquality() {
        #expect(TokenHasher.constantTimeEquals("abc", "abc"))
        #expect(!TokenHasher.constantTimeEquals("abc", "abd"))
        #expect(!TokenHasher.constantTimeEquals("abc", "abcd"))
        #expect(!TokenHasher.constantTimeEquals("", "a"))
        #expect(TokenHasher.generate() != TokenHasher.generate())
    }

    @Test func bearerTokensAreReadFromTheAuthorizationHeader() {
        #expect(BearerTokenCheck.token(fromAuthorization: "Bearer  xyz ") == "xyz")
        #expect(BearerTokenCheck.token(fromAuthorization: "bearer xyz") == "xyz")
        #expect(BearerTokenCheck.token(fromAuthorization: "Bearer") == nil)
        #expect(BearerTokenCheck.token(fromAuthorization: "Bearer   ") == nil)
        #expect(BearerTokenCheck.token(fromAuthorization: "Token xyz") == nil)
        #expect(BearerTokenCheck.token(fromAuthorization: nil) == nil)
    }

    /// The admin token, or an API token with the prefix whose digest the store knows; nothing else is looked up.
    @Test func theSharedCheckKnowsTheAdminAndLiveAPITokens() async throws {
        let known = TokenCheck.digest("pst_live")
        let lookUps = LookUpCounter()
        let check = BearerTokenCheck(adminToken: "admin") { digest in
            await lookUps.increment()
            return digest == known ? Principal(tokenID: 7, name: "live", role: .viewer, envs: ["alpha"]) : nil
        }
        #expect(try await check.principal(for: "admin") == .adminToken)
        #expect(try await check.principal(for: "pst_live") == Principal(tokenID: 7, name: "live", role: .viewer, envs: ["alpha"]))
        #expect(try await check.principal(for: "pst_gone") == nil)
        #expect(try await check.principal(for: "live") == nil)
        #expect(try await check.principal(for: "") == nil)
        #expect(await lookUps.count == 2)
        let noAdmin = BearerTokenCheck(adminToken: "") { _ in nil }
        #expect(try await noAdmin.principal(for: "") == nil)
    }
}

/// The database's readiness is part of `/readyz`.
@Suite(.enabled(if: TestServices.available))
struct AuthIntegrationTests {
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
}

actor LookUpCounter {
    private(set) var count = 0
    func increment() { count += 1 }
}
