import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import TestSupport
import Testing

@testable import Gateway

/// Every kind of bad input gets a JSON error naming what is wrong, never a 500, and writes nothing: on the
/// in-memory repositories, and on PostgreSQL where the test services are.
struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var method: HTTPRequest.Method = .post
        var path: String
        var body: String?
        var status: HTTPResponse.Status
        var code: String
        var field: String?
        var line: Int?
        var column: Int?
        var testDescription: String { name }
    }

    static let validInventory = #""name": "i", "env": "alpha", "version": "1", "hosts": "all:\n  hosts:\n    a:\n""#

    static let cases: [Case] = [
        Case(name: "malformed JSON", path: "/api/v1/inventory", body: #"{"name": "x""#, status: .badRequest, code: "invalid_json"),
        Case(name: "empty body", path: "/api/v1/playbook", body: "", status: .badRequest, code: "invalid_json"),
        Case(name: "not an object", path: "/api/v1/app", body: "[1, 2]", status: .badRequest, code: "invalid_json"),
        Case(
            name: "missing field", path: "/api/v1/inventory", body: #"{"name": "i", "env": "alpha", "version": "1"}"#, status: .badRequest,
            code: "missing_field", field: "hosts"),
        Case(
            name: "wrong type", path: "/api/v1/inventory", body: #"{"name": 5, "env": "alpha", "version": "1", "hosts": "all: {}"}"#,
            status: .badRequest, code: "wrong_type", field: "name"),
        Case(name: "empty string", path: "/api/v1/app", body: #"{"appid": "  "}"#, status: .badRequest, code: "invalid_field", field: "appid"),
        Case(name: "null required field", path: "/api/v1/app", body: #"{"appid": null}"#, status: .badRequest, code: "missing_field", field: "appid"),
        Case(
            name: "YAML syntax error in hosts", path: "/api/v1/inventory",
            body: #"{"name": "i", "env": "alpha", "version": "1", "hosts": "all:\n  hosts:\n    a: [1, 2\n"}"#,
            status: .badRequest, code: "yaml_syntax", field: "hosts", line: 4, column: 1
        ),
        Case(
            name: "YAML syntax error in vars", path: "/api/v1/inventory",
            body: #"{\#(validInventory), "vars": "all:\n  x: [1, 2\n"}"#,
            status: .badRequest, code: "yaml_syntax", field: "vars", line: 3, column: 1
        ),
        Case(
            name: "host name longer than PostgreSQL can index", path: "/api/v1/inventory",
            // An explicit key: YAML itself limits implicit keys to 1024 characters.
            body:
                #"{"name": "i", "env": "alpha", "version": "1", "hosts": "all:\n  hosts:\n    a:\n    ? \#(String(repeating: "x", count: 3000))\n"}"#,
            status: .badRequest, code: "invalid_inventory", field: "hosts", line: 4, column: 7
        ),
        Case(
            name: "hosts not a mapping", path: "/api/v1/inventory", body: #"{"name": "i", "env": "alpha", "version": "1", "hosts": "- a\n- b\n"}"#,
            status: .badRequest, code: "invalid_inventory", field: "hosts", line: 1, column: 1
        ),
        Case(
            name: "entry with ..", path: "/api/v1/playbook", body: #"{"name": "p", "git_repo": "/srv/repo", "entry": "../etc/site.yml"}"#,
            status: .badRequest, code: "invalid_field", field: "entry"
        ),
        Case(
            name: "absolute entry", path: "/api/v1/playbook", body: #"{"name": "p", "git_repo": "/srv/repo", "entry": "/etc/site.yml"}"#,
            status: .badRequest, code: "invalid_field", field: "entry"
        ),
        Case(
            name: "bad git_repo", path: "/api/v1/playbook", body: #"{"name": "p", "git_repo": "ext::sh -c evil", "entry": "site.yml"}"#,
            status: .badRequest, code: "invalid_field", field: "git_repo"
        ),
        Case(
            name: "unknown playbook", path: "/api/v1/job", body: #"{"env": "alpha", "playbook_id": 424242, "inventory_id": 1}"#, status: .notFound,
            code: "not_found", field: "playbook_id"),
        Case(
            name: "playbook_id as string", path: "/api/v1/job", body: #"{"env": "alpha", "playbook_id": "1", "inventory_id": 1}"#,
            status: .badRequest, code: "wrong_type", field: "playbook_id"),
        Case(
            name: "verbosity out of range", path: "/api/v1/job", body: #"{"env": "a", "playbook_id": 1, "inventory_id": 1, "verbosity": 7}"#,
            status: .badRequest, code: "invalid_field", field: "verbosity"),
        Case(
            name: "shard_size and shards", path: "/api/v1/job",
            body: #"{"env": "a", "playbook_id": 1, "inventory_id": 1, "shard_size": 5, "shards": 2}"#, status: .badRequest, code: "invalid_field",
            field: "shards"),
        Case(
            name: "extra_vars not an object", path: "/api/v1/job", body: #"{"env": "a", "playbook_id": 1, "inventory_id": 1, "extra_vars": [1]}"#,
            status: .badRequest, code: "wrong_type", field: "extra_vars"),
        Case(
            name: "tags of numbers", path: "/api/v1/job", body: #"{"env": "a", "playbook_id": 1, "inventory_id": 1, "tags": [1]}"#,
            status: .badRequest, code: "wrong_type", field: "tags"),
        Case(
            name: "bad pool", path: "/api/v1/job", body: #"{"env": "a", "playbook_id": 1, "inventory_id": 1, "pool": "a b"}"#, status: .badRequest,
            code: "invalid_field", field: "pool"),
        Case(name: "unknown inventory", method: .get, path: "/api/v1/inventory/987654", status: .notFound, code: "not_found"),
        Case(name: "non-numeric id", method: .get, path: "/api/v1/playbook/abc", status: .notFound, code: "not_found"),
        Case(name: "unknown job", method: .get, path: "/api/v1/job/0b7c4b3e-5b7a-4c1e-9a55-3f3f1c2b1a00", status: .notFound, code: "not_found"),
        Case(name: "job id not a uuid", method: .get, path: "/api/v1/job/result/42", status: .notFound, code: "not_found"),
        Case(
            name: "unknown app link", path: "/api/v1/app/playbook", body: #"{"app_id": 5, "playbook_id": 6}"#, status: .notFound, code: "not_found",
            field: "app_id"),
        Case(name: "unknown route", method: .get, path: "/api/v1/nothing", status: .notFound, code: "route_not_found"),
        Case(name: "wrong method", method: .patch, path: "/api/v1/inventory", status: .methodNotAllowed, code: "method_not_allowed"),
        Case(
            name: "wrong method with a parameter", method: .post, path: "/api/v1/inventory/3", status: .methodNotAllowed, code: "method_not_allowed"),
        Case(name: "bad list parameter", method: .get, path: "/api/v1/jobs?limit=0", status: .badRequest, code: "invalid_parameter", field: "limit"),
        Case(
            name: "bad status filter", method: .get, path: "/api/v1/jobs?status=done", status: .badRequest, code: "invalid_parameter", field: "status"
        ),
    ]

    @Test(arguments: cases, GatewayTestBackend.available)
    func badInputIsAnsweredWithAJSONError(_ testCase: Case, on backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, storage in
            let response = try await client.api(testCase.path, method: testCase.method, json: testCase.body)
            #expect(response.status == testCase.status, "\(response.text)")
            #expect(response.headers[.contentType] == "application/json")
            let json = try response.json()
            #expect(json["error", "code"] == .string(testCase.code), "\(response.text)")
            #expect(json["error", "message"]?.stringValue?.isEmpty == false)
            #expect(json["error", "field"] == testCase.field.map(JSONValue.string))
            #expect(json["error", "line"]?.intValue == testCase.line.map(Int64.init))
            #expect(json["error", "column"]?.intValue == testCase.column.map(Int64.init))
            if testCase.status == .methodNotAllowed {
                #expect(response.headers[.allow]?.isEmpty == false)
            }
            // Nothing half-written.
            #expect(try await storage.rowCount() == 0)
        }
    }

    @Test(arguments: GatewayTestBackend.available)
    func oversizeBodiesAreRefusedWith413(on backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, storage in
            let hosts = String(repeating: "# padding line\n", count: GatewayTestApp.maxBodySize / 10)
            let body = #"{"name": "big", "env": "alpha", "version": "1", "hosts": "all:\n\#(hosts.replacingOccurrences(of: "\n", with: "\\n"))"}"#
            let response = try await client.api("/api/v1/inventory", method: .post, json: body)
            #expect(response.status == .contentTooLarge)
            #expect(try response.json()["error", "code"] == "body_too_large")
            // Without a Content-Length the body is cut at the same limit while it is read.
            let chunked = try await client.execute(
                uri: "/api/v1/inventory", method: .post,
                headers: [.authorization: "Bearer \(GatewayTestApp.adminToken)", .transferEncoding: "chunked"],
                body: ByteBuffer(string: body)
            )
            #expect(chunked.status == .contentTooLarge)
            #expect(try await storage.rowCount() == 0)
        }
    }
}
