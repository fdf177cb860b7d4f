import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing

/// Creates the records a job needs through the API.
struct Fixtures {
    let client: any TestClientProtocol

    func inventory(name: String = "web", env: String = "alpha", version: String = "1", hosts: String = "all:\n  hosts:\n    a:\n    b:\n")
        async throws -> Int64
    {
        let response = try await client.create(
            "/api/v1/inventory", ["name": .string(name), "env": .string(env), "version": .string(version), "hosts": .string(hosts)])
        try #require(response.status == .created, "\(response.json)")
        return try #require(response.json["id"]?.intValue)
    }

    func playbook(name: String = "site") async throws -> Int64 {
        let response = try await client.create(
            "/api/v1/playbook", ["name": .string(name), "git_repo": "https://example.com/repo.git", "entry": "site.yml"])
        try #require(response.status == .created, "\(response.json)")
        return try #require(response.json["id"]?.intValue)
    }

    /// Launches a job; returns its answer.
    func job(playbook: Int64, inventory: Int64, env: String = "alpha", extra: [String: JSONValue] = [:], headers: HTTPFields = [:]) async throws
        -> (status: HTTPResponse.Status, json: JSONValue, headers: HTTPFields)
    {
        var body: [String: JSONValue] = ["env": .string(env), "playbook_id": .int(playbook), "inventory_id": .int(inventory)]
        body.merge(extra) { _, new in new }
        let response = try await client.api(
            "/api/v1/job", method: .post, json: String(decoding: try JSONEncoder().encode(JSONValue.object(body)), as: UTF8.self), headers: headers
        )
        return (response.status, try response.json(), response.headers)
    }
}
