import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import TestSupport
import Testing

@testable import Gateway

/// The resource routes answer alike on the in-memory repositories and on PostgreSQL.
struct ResourceRoutesTests {
    @Test(arguments: GatewayTestBackend.available)
    func resourcesAreCreatedListedShownLinkedAndDeleted(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            let fixtures = Fixtures(client: client)
            let credential = try await client.create("/api/v1/credential", ["name": "ops", "username": "ops"])
            #expect(credential.status == .created)
            #expect(credential.json["has_ssh_key"] == false)
            #expect(try await client.create("/api/v1/credential", ["name": "ops", "username": "x"]).json["error", "code"] == "already_exists")
            let credentialID = try #require(credential.json["id"]?.intValue)

            let playbook = try await client.create(
                "/api/v1/playbook",
                ["name": "site", "git_repo": "https://user:pw@example.com/r.git", "entry": "site.yml", "credential_id": .int(credentialID)]
            )
            #expect(playbook.status == .created)
            #expect(playbook.json["git_repo"] == "https://user:***@example.com/r.git")
            let playbookID = try #require(playbook.json["id"]?.intValue)
            let unknownCredential = try await client.create(
                "/api/v1/playbook", ["name": "x", "git_repo": "https://example.com/r.git", "entry": "x.yml", "credential_id": 999]
            )
            #expect(unknownCredential.status == .notFound)
            #expect(unknownCredential.json["error", "field"] == "credential_id")

            let inventoryID = try await fixtures.inventory()
            let app = try await client.create("/api/v1/app", ["appid": "shop"])
            #expect(app.status == .created)
            #expect(try await client.create("/api/v1/app", ["appid": "shop"]).status == .conflict)
            let appID = try #require(app.json["id"]?.intValue)
            #expect(try await client.create("/api/v1/app/playbook", ["app_id": .int(appID), "playbook_id": .int(playbookID)]).status == .created)
            #expect(try await client.create("/api/v1/app/playbook", ["app_id": .int(appID), "playbook_id": .int(playbookID)]).status == .ok)
            let missing = try await client.create("/api/v1/app/inventory", ["app_id": .int(appID), "inventory_id": 999])
            #expect(missing.status == .notFound)
            #expect(missing.json["error", "field"] == "inventory_id")
            #expect(try await client.create("/api/v1/app/inventory", ["app_id": .int(appID), "inventory_id": .int(inventoryID)]).status == .created)

            let shown = try await client.api("/api/v1/app/\(appID)", method: .get).json()
            #expect(shown["playbooks"]?.arrayValue?.compactMap { $0["id"]?.intValue } == [playbookID])
            #expect(shown["inventories"]?.arrayValue?.first?["hosts"] == nil)
            for (path, key) in [("playbook", "playbooks"), ("credential", "credentials"), ("app", "apps"), ("inventory", "inventories")] {
                let list = try await client.api("/api/v1/\(path)", method: .get).json()
                #expect(list[key]?.arrayValue?.count == 1, "\(path)")
            }
            #expect(try await client.api("/api/v1/playbook/\(playbookID)", method: .get).json()["credential_id"]?.intValue == credentialID)

            // A pending job holds its playbook, inventory and app; a cancel frees them.
            let deploy = try await client.create("/api/v1/app/\(appID)/deploy", ["env": "alpha"])
            #expect(deploy.status == .created)
            let uuid = try #require(deploy.json["jobs"]?.arrayValue?.first?["uuid"]?.stringValue)
            for path in ["playbook/\(playbookID)", "inventory/\(inventoryID)", "app/\(appID)"] {
                let refused = try await client.api("/api/v1/\(path)", method: .delete)
                #expect(refused.status == .conflict, "\(path)")
                #expect(try refused.json()["error", "code"] == "in_use")
            }
            let jobs = try await client.api("/api/v1/jobs?app=\(appID)", method: .get).json()
            #expect(jobs["jobs"]?.arrayValue?.first?["uuid"]?.stringValue == uuid)
            #expect(jobs["next"] == .null)
            let job = try await client.api("/api/v1/job/\(uuid)", method: .get).json()
            #expect(job["status"] == "pending")
            #expect(job["shards"] == [])
            let cancel = try await client.api("/api/v1/job/\(uuid)/cancel", method: .post)
            #expect(cancel.status == .accepted)
            #expect(try cancel.json()["status"] == "canceled")
            #expect(try await client.api("/api/v1/job/\(uuid)/cancel", method: .post).status == .conflict)
            #expect(try await client.api("/api/v1/job/result/\(uuid)", method: .get).json() == [:])

            #expect(try await client.api("/api/v1/credential/\(credentialID)", method: .delete).status == .noContent)
            #expect(try await client.api("/api/v1/playbook/\(playbookID)", method: .get).json()["credential_id"] == .null)
            for path in ["app/\(appID)", "playbook/\(playbookID)", "inventory/\(inventoryID)"] {
                #expect(try await client.api("/api/v1/\(path)", method: .delete).status == .noContent, "\(path)")
                #expect(try await client.api("/api/v1/\(path)", method: .get).status == .notFound, "\(path)")
                #expect(try await client.api("/api/v1/\(path)", method: .delete).status == .notFound, "\(path)")
            }
            // The job stays, with what it referred to gone.
            let kept = try await client.api("/api/v1/job/\(uuid)", method: .get).json()
            #expect(kept["status"] == "canceled")
            #expect(kept["playbook_id"] == .null)
            #expect(kept["app_id"] == .null)
        }
    }
}
