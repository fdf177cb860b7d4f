import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing

@testable import Gateway

/// `/api/v1/schedule` on every backend: its fields checked as a launch's are, its next due time, its scope.
struct ScheduleRoutesTests {
    @Test(arguments: GatewayTestBackend.available)
    func schedulesAreCreatedReadChangedAndDeleted(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            let fixtures = Fixtures(client: client)
            let playbook = try await fixtures.playbook()
            let inventory = try await fixtures.inventory(env: "alpha")
            let job: JSONValue = ["env": "alpha", "playbook_id": .int(playbook), "inventory_id": .int(inventory), "limit": "a"]
            let created = try await client.create(
                "/api/v1/schedule", ["name": "nightly", "cron": "0 3 * * *", "timezone": "Europe/Paris", "job": job])
            #expect(created.status == .created, "\(created.json)")
            let id = try #require(created.json["id"]?.intValue)
            #expect(created.json["enabled"] == true)
            #expect(created.json["job"] == job)
            #expect(created.json["last_run_at"] == .null)
            let next = try Date(try #require(created.json["next_run_at"]?.stringValue), strategy: .iso8601)
            var paris = Calendar(identifier: .gregorian)
            paris.timeZone = TimeZone(identifier: "Europe/Paris")!
            #expect(paris.dateComponents([.hour, .minute], from: next) == DateComponents(hour: 3, minute: 0))
            #expect(next > Date() && next < Date().addingTimeInterval(86_400 + 60))

            let listed = try await client.api("/api/v1/schedule", method: .get).json()["schedules"]?.arrayValue ?? []
            #expect(listed.compactMap { $0["name"]?.stringValue } == ["nightly"])
            #expect(try await client.api("/api/v1/schedule/\(id)", method: .get).json()["cron"] == "0 3 * * *")

            // Disabled: no next run; enabled again: the next due time comes back.
            let disabled = try await client.api("/api/v1/schedule/\(id)", method: .patch, json: #"{"enabled": false}"#)
            #expect(disabled.status == .ok, "\(disabled.text)")
            #expect(try disabled.json()["next_run_at"] == .null)
            let changed = try await client.api(
                "/api/v1/schedule/\(id)", method: .patch, json: #"{"enabled": true, "cron": "@hourly", "name": "hourly"}"#)
            let body = try changed.json()
            #expect(body["name"] == "hourly")
            #expect(body["next_run_at"]?.stringValue != nil)
            #expect(body["job"] == job)

            let duplicate = try await client.create(
                "/api/v1/schedule", ["name": "hourly", "cron": "@daily", "job": job])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.json["error", "field"] == "name")

            #expect(try await client.api("/api/v1/schedule/\(id)", method: .delete).status == .noContent)
            #expect(try await client.api("/api/v1/schedule/\(id)", method: .get).status == .notFound)
        }
    }

    @Test(arguments: GatewayTestBackend.available)
    func badSchedulesAreRefusedNamingTheField(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            let fixtures = Fixtures(client: client)
            let playbook = try await fixtures.playbook()
            let alpha = try await fixtures.inventory(name: "a", env: "alpha")
            let beta = try await fixtures.inventory(name: "b", env: "beta")
            let job: JSONValue = ["env": "alpha", "playbook_id": .int(playbook), "inventory_id": .int(alpha)]
            func expect(_ body: JSONValue, _ status: HTTPResponse.Status, _ code: String, field: String, token: String = GatewayTestApp.adminToken)
                async throws
            {
                let response = try await client.api(
                    "/api/v1/schedule", method: .post, token: token, json: String(decoding: try JSONEncoder().encode(body), as: UTF8.self))
                #expect(response.status == status, "\(body): \(response.text)")
                #expect(try response.json()["error", "code"]?.stringValue == code, "\(body): \(response.text)")
                #expect(try response.json()["error", "field"]?.stringValue == field, "\(body): \(response.text)")
            }
            try await expect(["name": "s", "cron": "*/5 * * *", "job": job], .badRequest, "invalid_field", field: "cron")
            try await expect(["name": "s", "cron": "0 0 30 2 *", "job": job], .badRequest, "invalid_field", field: "cron")
            try await expect(
                ["name": "s", "cron": "@daily", "timezone": "Mars/Olympus", "job": job], .badRequest, "invalid_field", field: "timezone")
            try await expect(["name": "s", "cron": "@daily"], .badRequest, "missing_field", field: "job")
            try await expect(
                ["name": "s", "cron": "@daily", "job": ["env": "alpha", "playbook_id": .int(playbook)]], .badRequest, "missing_field",
                field: "job.inventory_id")
            try await expect(
                ["name": "s", "cron": "@daily", "job": ["env": "alpha", "playbook_id": 999, "inventory_id": .int(alpha)]], .notFound, "not_found",
                field: "job.playbook_id")
            try await expect(
                ["name": "s", "cron": "@daily", "job": ["env": "alpha", "playbook_id": .int(playbook), "inventory_id": .int(beta)]], .badRequest,
                "env_mismatch", field: "job.env")
            try await expect(
                ["name": "s", "cron": "@daily", "job": ["env": "alpha", "playbook_id": .int(playbook), "inventory_id": .int(alpha), "forks": 0]],
                .badRequest, "invalid_field", field: "job.forks")
            // Scopes: an operator of beta cannot schedule alpha's jobs, nor see alpha's schedules.
            let created = try await client.create("/api/v1/tokens", ["name": "op-beta", "role": "operator", "envs": ["beta"]])
            let token = try #require(created.json["token"]?.stringValue)
            try await expect(["name": "s", "cron": "@daily", "job": job], .forbidden, "forbidden", field: "job.env", token: token)
            let schedule = try await client.create("/api/v1/schedule", ["name": "s", "cron": "@daily", "job": job])
            let id = try #require(schedule.json["id"]?.intValue)
            #expect(try await client.api("/api/v1/schedule/\(id)", method: .get, token: token).status == .notFound)
            #expect(try await client.api("/api/v1/schedule", method: .get, token: token).json()["schedules"] == [])
        }
    }
}
