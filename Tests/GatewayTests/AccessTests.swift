import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing

@testable import Gateway

/// Roles and environment scopes of API tokens, credentials bound to environments, and the audit log, on every
/// backend (PostgreSQL under `make test`).
struct AccessTests {
    /// A token made by the admin token with `role` and `envs`; returns the token and its id.
    static func token(_ client: any TestClientProtocol, name: String, role: String?, envs: [String]?) async throws -> (token: String, id: Int64) {
        var body: [String: JSONValue] = ["name": .string(name)]
        if let role { body["role"] = .string(role) }
        if let envs { body["envs"] = .array(envs.map(JSONValue.string)) }
        let created = try await client.create("/api/v1/tokens", .object(body))
        try #require(created.status == .created, "\(created.json)")
        return (try #require(created.json["token"]?.stringValue), try #require(created.json["id"]?.intValue))
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, token: String, _ body: JSONValue) async throws -> TestResponse {
        try await client.api(uri, method: .post, token: token, json: String(decoding: try JSONEncoder().encode(body), as: UTF8.self))
    }

    static func expectError(_ response: TestResponse, _ status: HTTPResponse.Status, _ code: String, field: String? = nil) throws {
        #expect(response.status == status, "\(response.text)")
        let json = try response.json()
        #expect(json["error", "code"]?.stringValue == code, "\(response.text)")
        #expect(json["error", "field"]?.stringValue == field, "\(response.text)")
    }

    @Test(arguments: GatewayTestBackend.available)
    func viewersReadOperatorsActAndScopesHideOtherEnvs(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            let fixtures = Fixtures(client: client)
            let playbook = try await fixtures.playbook()
            let alpha = try await fixtures.inventory(name: "web-alpha", env: "alpha")
            let beta = try await fixtures.inventory(name: "web-beta", env: "beta")
            let betaJob = try #require(try await fixtures.job(playbook: playbook, inventory: beta, env: "beta").json["uuid"]?.stringValue)
            let viewer = try await Self.token(client, name: "viewer-alpha", role: "viewer", envs: ["alpha"])
            let op = try await Self.token(client, name: "operator-alpha", role: "operator", envs: ["alpha"])
            let launchAlpha: JSONValue = ["env": "alpha", "playbook_id": .int(playbook), "inventory_id": .int(alpha)]

            // A viewer reads but cannot launch, create or cancel.
            try Self.expectError(try await Self.post(client, "/api/v1/job", token: viewer.token, launchAlpha), .forbidden, "forbidden")
            try Self.expectError(
                try await Self.post(
                    client, "/api/v1/playbook", token: viewer.token, ["name": "p", "git_repo": "https://example.com/r.git", "entry": "a.yml"]),
                .forbidden, "forbidden")
            #expect(try await client.api("/api/v1/inventory/\(alpha)", method: .get, token: viewer.token).status == .ok)
            #expect(try await client.api("/api/v1/playbook", method: .get, token: viewer.token).status == .ok)

            // An operator of alpha launches there, not in beta.
            let launched = try await Self.post(client, "/api/v1/job", token: op.token, launchAlpha)
            #expect(launched.status == .created, "\(launched.text)")
            let alphaJob = try #require(try launched.json()["uuid"]?.stringValue)
            try Self.expectError(
                try await Self.post(
                    client, "/api/v1/job", token: op.token, ["env": "beta", "playbook_id": .int(playbook), "inventory_id": .int(beta)]),
                .forbidden, "forbidden", field: "env")
            try Self.expectError(
                try await Self.post(
                    client, "/api/v1/inventory", token: op.token, ["name": "x", "env": "beta", "version": "1", "hosts": "all:\n  hosts:\n    a:\n"]),
                .forbidden, "forbidden", field: "env")

            // Beta's records do not exist for alpha's tokens; lists leave them out.
            for token in [viewer.token, op.token] {
                for path in [
                    "/api/v1/job/\(betaJob)", "/api/v1/job/result/\(betaJob)", "/api/v1/job/\(betaJob)/events", "/api/v1/job/\(betaJob)/stdout",
                    "/api/v1/inventory/\(beta)", "/api/v1/inventory/\(beta)/versions", "/api/v1/inventory/\(beta)/ansible",
                ] {
                    try Self.expectError(try await client.api(path, method: .get, token: token), .notFound, "not_found")
                }
                let jobs = try await client.api("/api/v1/jobs", method: .get, token: token).json()["jobs"]?.arrayValue ?? []
                #expect(jobs.compactMap { $0["uuid"]?.stringValue } == [alphaJob])
                let inventories = try await client.api("/api/v1/inventory", method: .get, token: token).json()["inventories"]?.arrayValue ?? []
                #expect(inventories.compactMap { $0["id"]?.intValue } == [alpha])
            }
            // The role is checked before the scope, so a viewer learns nothing of beta from a refusal.
            try Self.expectError(try await Self.post(client, "/api/v1/job/\(betaJob)/cancel", token: viewer.token, [:]), .forbidden, "forbidden")
            try Self.expectError(try await Self.post(client, "/api/v1/job/\(betaJob)/cancel", token: op.token, [:]), .notFound, "not_found")
            #expect(try await client.api("/api/v1/inventory/\(beta)", method: .delete, token: op.token).status == .notFound)
            #expect(try await Self.post(client, "/api/v1/job/\(alphaJob)/cancel", token: op.token, [:]).status == .accepted)
            // The admin token still sees everything.
            let all = try await client.api("/api/v1/jobs", method: .get).json()["jobs"]?.arrayValue ?? []
            #expect(Set(all.compactMap { $0["uuid"]?.stringValue }) == [alphaJob, betaJob])
        }
    }

    @Test(arguments: GatewayTestBackend.available)
    func credentialsAreForAdminsAndBoundToTheirEnvs(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            let fixtures = Fixtures(client: client)
            let playbook = try await fixtures.playbook()
            let alpha = try await fixtures.inventory(name: "web-alpha", env: "alpha")
            let op = try await Self.token(client, name: "operator-alpha", role: "operator", envs: ["alpha"])
            let admin = try await Self.token(client, name: "admin-alpha", role: "admin", envs: ["alpha"])

            let betaOnly = try await client.create("/api/v1/credential", ["name": "beta-key", "username": "deploy", "envs": ["beta"]])
            #expect(betaOnly.status == .created)
            #expect(betaOnly.json["envs"] == ["beta"])
            let betaCredential = try #require(betaOnly.json["id"]?.intValue)
            let anywhere = try await client.create("/api/v1/credential", ["name": "any-key", "username": "deploy"])
            #expect(anywhere.json["envs"] == .null)

            // Only admins manage credentials; a scoped admin binds them within its envs only.
            try Self.expectError(
                try await Self.post(client, "/api/v1/credential", token: op.token, ["name": "c", "username": "u"]), .forbidden, "forbidden")
            try Self.expectError(try await client.api("/api/v1/credential", method: .get, token: op.token), .forbidden, "forbidden")
            try Self.expectError(
                try await client.api("/api/v1/credential/\(betaCredential)", method: .delete, token: op.token), .forbidden, "forbidden")
            try Self.expectError(
                try await Self.post(client, "/api/v1/credential", token: admin.token, ["name": "c", "username": "u"]), .forbidden, "forbidden",
                field: "envs")
            #expect(
                try await Self.post(client, "/api/v1/credential", token: admin.token, ["name": "c", "username": "u", "envs": ["alpha"]]).status
                    == .created)

            // A job may use a credential bound to its env only, whoever launches it.
            let launch: JSONValue = [
                "env": "alpha", "playbook_id": .int(playbook), "inventory_id": .int(alpha), "credential_id": .int(betaCredential),
            ]
            try Self.expectError(try await Self.post(client, "/api/v1/job", token: op.token, launch), .forbidden, "forbidden", field: "credential_id")
            try Self.expectError(
                try await Self.post(client, "/api/v1/job", token: GatewayTestApp.adminToken, launch), .forbidden, "forbidden", field: "credential_id")
            let unbound = try await Self.post(
                client, "/api/v1/job", token: op.token,
                ["env": "alpha", "playbook_id": .int(playbook), "inventory_id": .int(alpha), "credential_id": anywhere.json["id"] ?? .null])
            #expect(unbound.status == .created, "\(unbound.text)")
        }
    }

    @Test(arguments: GatewayTestBackend.available)
    func tokensHaveARoleAndAScope(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            let plain = try await client.create("/api/v1/tokens", ["name": "ci"])
            #expect(plain.json["role"] == "operator")
            #expect(plain.json["envs"] == .null)
            let scoped = try await client.create("/api/v1/tokens", ["name": "v", "role": "viewer", "envs": ["alpha", "beta", "alpha"]])
            #expect(scoped.json["role"] == "viewer")
            #expect(scoped.json["envs"] == ["alpha", "beta"])
            let listed = try await client.api("/api/v1/tokens", method: .get).json()["tokens"]?.arrayValue ?? []
            #expect(listed.map { $0["role"]?.stringValue } == ["operator", "viewer"])

            try Self.expectError(
                try await client.api("/api/v1/tokens", method: .post, json: #"{"name": "x", "role": "root"}"#), .badRequest, "invalid_field",
                field: "role")
            try Self.expectError(
                try await client.api("/api/v1/tokens", method: .post, json: #"{"name": "x", "envs": []}"#), .badRequest, "invalid_field",
                field: "envs")
            try Self.expectError(
                try await client.api("/api/v1/tokens", method: .post, json: #"{"name": "x", "envs": ["a", " "]}"#), .badRequest, "invalid_field",
                field: "envs[1]")

            // Operators do not manage tokens; an admin scoped to alpha makes tokens within alpha only.
            let op = try #require(plain.json["token"]?.stringValue)
            try Self.expectError(try await client.api("/api/v1/tokens", method: .get, token: op), .forbidden, "forbidden")
            let admin = try await Self.token(client, name: "admin-alpha", role: "admin", envs: ["alpha"])
            try Self.expectError(
                try await Self.post(client, "/api/v1/tokens", token: admin.token, ["name": "wide"]), .forbidden, "forbidden", field: "envs")
            try Self.expectError(
                try await Self.post(client, "/api/v1/tokens", token: admin.token, ["name": "wide", "envs": ["alpha", "beta"]]), .forbidden,
                "forbidden",
                field: "envs")
            #expect(try await Self.post(client, "/api/v1/tokens", token: admin.token, ["name": "narrow", "envs": ["alpha"]]).status == .created)
        }
    }

    /// Every state-changing call, allowed or refused, with its token, operation, resource, env and status; reads
    /// are not recorded.
    @Test(arguments: GatewayTestBackend.available)
    func theAuditLogRecordsEveryChangeAndEveryRefusal(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            let fixtures = Fixtures(client: client)
            let playbook = try await fixtures.playbook()
            let alpha = try await fixtures.inventory(name: "web-alpha", env: "alpha")
            let beta = try await fixtures.inventory(name: "web-beta", env: "beta")
            let viewer = try await Self.token(client, name: "viewer-alpha", role: "viewer", envs: ["alpha"])
            let op = try await Self.token(client, name: "operator-alpha", role: "operator", envs: ["alpha"])

            let refusedRole = try await Self.post(
                client, "/api/v1/job", token: viewer.token, ["env": "alpha", "playbook_id": .int(playbook), "inventory_id": .int(alpha)])
            #expect(refusedRole.status == .forbidden)
            let refusedEnv = try await Self.post(
                client, "/api/v1/job", token: op.token, ["env": "beta", "playbook_id": .int(playbook), "inventory_id": .int(beta)])
            #expect(refusedEnv.status == .forbidden)
            let launched = try await Self.post(
                client, "/api/v1/job", token: op.token, ["env": "alpha", "playbook_id": .int(playbook), "inventory_id": .int(alpha)])
            let uuid = try #require(try launched.json()["uuid"]?.stringValue)
            #expect(try await Self.post(client, "/api/v1/job/\(uuid)/cancel", token: op.token, [:]).status == .accepted)
            #expect(try await client.api("/api/v1/inventory", method: .post, token: "pst_nobody", json: "{}").status == .unauthorized)
            _ = try await client.api("/api/v1/jobs", method: .get, token: op.token)

            try Self.expectError(try await client.api("/api/v1/audit", method: .get, token: op.token), .forbidden, "forbidden")
            let page = try await client.api("/api/v1/audit", method: .get)
            #expect(page.status == .ok, "\(page.text)")
            let entries = try page.json()["entries"]?.arrayValue ?? []
            func summary(_ entry: JSONValue) -> String {
                [
                    entry["token_name"]?.stringValue ?? "-", entry["action"]?.stringValue ?? "-", entry["resource"]?.stringValue ?? "-",
                    entry["env"]?.stringValue ?? "-", "\(entry["status"]?.intValue ?? 0)",
                ].joined(separator: " ")
            }
            // Newest first: the unauthenticated call, the cancel, the launch, the two refusals, then the set-up.
            #expect(
                entries.prefix(5).map(summary) == [
                    "- createInventory inventory - 401",
                    "operator-alpha cancelJob job alpha 202",
                    "operator-alpha launchJob job alpha 201",
                    "operator-alpha launchJob job beta 403",
                    "viewer-alpha launchJob job - 403",
                ])
            #expect(entries[1]["resource_id"]?.stringValue == uuid)
            #expect(entries[2]["resource_id"]?.stringValue == uuid)
            #expect(entries[2]["token_id"]?.intValue == op.id)
            #expect(entries[2]["path"]?.stringValue == "/api/v1/job")
            #expect(entries[2]["method"]?.stringValue == "POST")
            #expect(entries.contains { $0["action"]?.stringValue == "createToken" && $0["token_name"]?.stringValue == "admin_token" })
            #expect(!entries.contains { $0["action"]?.stringValue == "listJobs" })

            // Filters and pages.
            let mine = try await client.api("/api/v1/audit?token=\(op.id)", method: .get).json()["entries"]?.arrayValue ?? []
            #expect(mine.map(summary) == Array(entries[1...3].map(summary)))
            let jobs = try await client.api("/api/v1/audit?resource=job&limit=2", method: .get).json()
            #expect(jobs["entries"]?.arrayValue?.count == 2)
            let next = try #require(jobs["next"]?.stringValue)
            let rest = try await client.api("/api/v1/audit?resource=job&cursor=\(next)", method: .get).json()["entries"]?.arrayValue ?? []
            #expect(rest.map(summary) == Array(entries[3...4].map(summary)))
            let future = try await client.api("/api/v1/audit?since=2999-01-01T00:00:00Z", method: .get).json()["entries"]?.arrayValue
            #expect(future?.isEmpty == true)
            try Self.expectError(
                try await client.api("/api/v1/audit?since=yesterday", method: .get), .badRequest, "invalid_parameter", field: "since")
        }
    }
}
