import Foundation
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Gateway

/// The seed README's "Usage" requests, in order, with its response shapes.
@Suite(.enabled(if: TestServices.available))
struct SeedExampleTests {
    @Test func seedUsageRequestsWorkAsWritten() async throws {
        let publisher = RecordingPublisher()
        try await GatewayTestApp.withApp(publisher: publisher) { client, postgres in
            let inventory = try await client.create(
                "/api/v1/inventory",
                [
                    "name": "example_inventory", "env": "alpha", "version": "0.0.1", "hosts": .string(SeedExample.hosts),
                    "vars": .string(SeedExample.vars),
                ]
            )
            #expect(inventory.status == .created)
            let inventoryID = try #require(inventory.json["id"]?.intValue)
            #expect(inventory.json["name"] == "example_inventory")
            #expect(inventory.json["env"] == "alpha")
            #expect(inventory.json["version"] == "0.0.1")
            #expect(inventory.json["hosts"] == .string(SeedExample.hosts))
            #expect(inventory.json["vars"] == .string(SeedExample.vars))

            let playbook = try await client.create(
                "/api/v1/playbook", ["name": "example_playbook", "git_repo": "git@some_repo.git", "entry": "some_playbook.yml"]
            )
            #expect(playbook.status == .created)
            let playbookID = try #require(playbook.json["id"]?.intValue)
            #expect(playbook.json["name"] == "example_playbook")
            #expect(playbook.json["git_repo"] == "git@some_repo.git")
            #expect(playbook.json["entry"] == "some_playbook.yml")

            let app = try await client.create("/api/v1/app", ["appid": "example_app"])
            #expect(app.status == .created)
            let appID = try #require(app.json["id"]?.intValue)
            #expect(app.json["appid"] == "example_app")

            let linkPlaybook = try await client.create("/api/v1/app/playbook", ["app_id": .int(appID), "playbook_id": .int(playbookID)])
            #expect(linkPlaybook.status == .created)
            let linkInventory = try await client.create("/api/v1/app/inventory", ["app_id": .int(appID), "inventory_id": .int(inventoryID)])
            #expect(linkInventory.status == .created)

            let job = try await client.create("/api/v1/job", ["env": "alpha", "playbook_id": .int(playbookID), "inventory_id": .int(inventoryID)])
            #expect(job.status == .created)
            let jobID = try #require(job.json["id"]?.intValue)
            let uuidText = try #require(job.json["uuid"]?.stringValue)
            let uuid = try #require(UUID(uuidString: uuidText))
            #expect(uuidText == uuidText.lowercased())
            #expect(job.json["env"] == "alpha")
            #expect(job.json["playbook_id"] == .int(playbookID))
            #expect(job.json["inventory_id"] == .int(inventoryID))
            #expect(job.json["status"] == "pending")
            #expect(Set(job.json.objectValue?.keys ?? [:].keys) == ["id", "uuid", "env", "playbook_id", "inventory_id", "status"])

            // The job message reaches the broker through the outbox, with the job as launched.
            let published = await publisher.waitForCount(1)
            let message = try #require(published.first)
            #expect(message.exchange == Topology.jobsExchange)
            #expect(message.routingKey == Topology.jobsRoutingKey)
            #expect(message.messageID == "job/\(uuidText)")
            let decoded = try MessageCoding.decode(JobMessage.self, from: message.body)
            #expect(decoded.jobUUID == uuid)
            #expect(decoded.jobID == jobID)
            #expect(decoded.playbook.gitRepo == "git@some_repo.git")
            #expect(decoded.inventory.hosts == SeedExample.hosts)
            #expect(decoded.inventory.vars == SeedExample.vars)

            // The app shows its links; the result of a job without events is an empty object.
            let appResponse = try await client.api("/api/v1/app/\(appID)", method: .get)
            let appJSON = try appResponse.json()
            #expect(appJSON["playbooks"]?.arrayValue?.compactMap { $0["id"]?.intValue } == [playbookID])
            #expect(appJSON["inventories"]?.arrayValue?.compactMap { $0["id"]?.intValue } == [inventoryID])
            let result = try await client.api("/api/v1/job/result/\(uuidText)", method: .get)
            #expect(result.status == .ok)
            #expect(try result.json() == .object([:]))
            _ = postgres
        }
    }
}
