import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import TestSupport
import Testing

@testable import Gateway

/// How the generated server reads requests, where the API's behaviour is not the generator's default: bodies are
/// JSON whatever their declared type, nulls are absent values, whole numbers written with a fraction are
/// integers, and every request that does not fit an operation gets the API's error shape.
struct RequestReadingTests {
    /// `curl -d` declares `application/x-www-form-urlencoded`; the README's examples rely on it.
    @Test(arguments: GatewayTestBackend.available)
    func aBodyIsReadAsJSONWhateverItsDeclaredType(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            for (index, type) in ["application/x-www-form-urlencoded", "text/plain", "application/merge-patch+json"].enumerated() {
                let response = try await client.api(
                    "/api/v1/app", method: .post, json: #"{"appid": "web-\#(index)"}"#, headers: [.contentType: type]
                )
                #expect(response.status == .created, "\(type): \(response.text)")
                #expect(try response.json()["appid"] == .string("web-\(index)"))
            }
        }
    }

    @Test(arguments: GatewayTestBackend.available)
    func nullsAreAbsentAndWholeNumbersAreIntegers(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            let response = try await client.api(
                "/api/v1/playbook", method: .post,
                json: #"{"name": "p", "git_repo": "/srv/repo", "entry": "site.yml", "ref": null, "credential_id": null}"#
            )
            #expect(response.status == .created, "\(response.text)")
            let playbook = try response.json()
            // Shown as null, not left out.
            #expect(playbook["ref"] == .null)
            #expect(playbook["credential_id"] == .null)
            let id = try #require(playbook["id"]?.intValue)
            let link = try await client.api("/api/v1/app", method: .post, json: #"{"appid": "a"}"#)
            let appID = try #require(try link.json()["id"]?.intValue)
            let linked = try await client.api(
                "/api/v1/app/playbook", method: .post, json: #"{"app_id": \#(appID).0, "playbook_id": \#(id)}"#
            )
            #expect(linked.status == .created, "\(linked.text)")
            #expect(try linked.json()["app_id"] == .int(appID))
        }
    }

    @Test(arguments: GatewayTestBackend.available)
    func requestsThatFitNoOperationGetTheAPIErrorShape(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            func expectError(_ response: TestResponse, _ status: HTTPResponse.Status, _ code: String, field: String?) throws {
                #expect(response.status == status, "\(response.text)")
                let json = try response.json()
                #expect(json["error", "code"] == .string(code), "\(response.text)")
                #expect(json["error", "field"] == field.map(JSONValue.string), "\(response.text)")
            }
            try expectError(try await client.api("/api/v1/jobs?limit=abc", method: .get), .badRequest, "invalid_parameter", field: "limit")
            try expectError(try await client.api("/api/v1/jobs?app=x", method: .get), .badRequest, "invalid_parameter", field: "app")
            try expectError(
                try await client.api("/api/v1/app/abc/deploy", method: .post, json: #"{"env": "a"}"#), .notFound, "not_found", field: nil)
            try expectError(try await client.api("/api/v1/tokens/0", method: .delete), .notFound, "not_found", field: nil)
            try expectError(try await client.api("/api/v1/job/nope/cancel", method: .post), .notFound, "not_found", field: nil)
            try expectError(
                try await client.api(
                    "/api/v1/playbook", method: .post, json: #"{"name": "p", "git_repo": "/srv/r", "entry": "a.yml", "credential_id": "1"}"#),
                .badRequest, "wrong_type", field: "credential_id"
            )
            try expectError(
                try await client.api("/api/v1/job", method: .post, json: #"{"env": "a", "playbook_id": 1, "inventory_id": 1, "check": "yes"}"#),
                .badRequest, "wrong_type", field: "check"
            )
            // The answer would be JSON; this client takes only HTML.
            try expectError(
                try await client.api("/api/v1/playbook", method: .get, headers: [.accept: "text/html"]), .notAcceptable, "not_acceptable",
                field: "Accept"
            )
            #expect(try await client.api("/api/v1/playbook", method: .get, headers: [.accept: "text/html, */*;q=0.8"]).status == .ok)
        }
    }

    /// A value PostgreSQL cannot take (a NUL character in a text) is the request's fault: 400, never a 500.
    @Test(.enabled(if: TestServices.available)) func aValuePostgreSQLCannotStoreIsABadRequest() async throws {
        try await GatewayTestApp.withApp(on: .postgres) { client, _ in
            let listed = try await client.api("/api/v1/inventory?env=a%00b", method: .get)
            #expect(listed.status == .badRequest, "\(listed.text)")
            #expect(try listed.json()["error", "code"] == "invalid_value")
            let created = try await client.api("/api/v1/app", method: .post, json: #"{"appid": "a\u0000b"}"#)
            #expect(created.status == .badRequest, "\(created.text)")
        }
    }
}
