import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Gateway

/// On PostgreSQL, where the test services are; tests that need no database also run on the in-memory repositories.
struct AppAndCredentialTests {
    static let key = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"

    @Test(.enabled(if: TestServices.available)) func credentialsAreWriteOnlyAndSealed() async throws {
        let publisher = RecordingPublisher()
        try await GatewayTestApp.withApp(publisher: publisher) { client, postgres in
            let created = try await client.create(
                "/api/v1/credential", ["name": "deploy", "ssh_private_key": .string(Self.key), "vault_password": "s3cret", "username": "ops"]
            )
            #expect(created.status == .created)
            let id = try #require(created.json["id"]?.intValue)
            #expect(created.json["has_ssh_key"] == true)
            #expect(created.json["has_vault_password"] == true)
            for response in [
                try await client.api("/api/v1/credential/\(id)", method: .get), try await client.api("/api/v1/credential", method: .get),
            ] {
                #expect(!response.text.contains("OPENSSH"))
                #expect(!response.text.contains("s3cret"))
            }
            #expect(try await client.create("/api/v1/credential", ["name": "deploy", "username": "x"]).status == .conflict)
            #expect(try await client.create("/api/v1/credential", ["name": "empty"]).status == .badRequest)

            // The stored box opens with the secret key; the job message carries it sealed.
            let sealer = try CredentialSealer(base64Key: GatewayTestApp.secretKey)
            let sealed = try #require(
                try await postgres.query("SELECT sealed FROM credentials WHERE id = \(id)").decode(ByteBuffer.self).first { _ in true })
            let secret = try sealer.open(Data(sealed.readableBytesView))
            #expect(secret.sshPrivateKey == Self.key)
            #expect(secret.vaultPassword == "s3cret")
            #expect(secret.username == "ops")

            let fixtures = Fixtures(client: client)
            let job = try await fixtures.job(
                playbook: try await fixtures.playbook(), inventory: try await fixtures.inventory(), extra: ["credential_id": .int(id)])
            #expect(job.status == .created)
            let message = try #require(await publisher.waitForCount(1).first)
            let decoded = try MessageCoding.decode(JobMessage.self, from: message.body)
            let credential = try #require(decoded.credential)
            #expect(try sealer.open(credential).vaultPassword == "s3cret")
            #expect(!String(decoding: message.body, as: UTF8.self).contains("s3cret"))

            #expect(try await client.api("/api/v1/credential/\(id)", method: .delete).status == .noContent)
            #expect(try await client.api("/api/v1/credential/\(id)", method: .get).status == .notFound)
        }
    }

    @Test(.enabled(if: TestServices.available)) func deployingAnAppLaunchesAJobPerPlaybook() async throws {
        try await GatewayTestApp.withApp { client, postgres in
            let fixtures = Fixtures(client: client)
            let first = try await fixtures.playbook(name: "one")
            let second = try await fixtures.playbook(name: "two")
            let alpha = try await fixtures.inventory(env: "alpha")
            let prod = try await fixtures.inventory(name: "p", env: "prod")
            let app = try #require(try await client.create("/api/v1/app", ["appid": "shop"]).json["id"]?.intValue)
            for playbook in [first, second] {
                #expect(try await client.create("/api/v1/app/playbook", ["app_id": .int(app), "playbook_id": .int(playbook)]).status == .created)
            }
            // Linking twice is harmless.
            #expect(try await client.create("/api/v1/app/playbook", ["app_id": .int(app), "playbook_id": .int(first)]).status == .ok)
            for inventory in [alpha, prod] {
                #expect(try await client.create("/api/v1/app/inventory", ["app_id": .int(app), "inventory_id": .int(inventory)]).status == .created)
            }
            #expect(try await client.create("/api/v1/app", ["appid": "shop"]).status == .conflict)

            let deploy = try await client.create("/api/v1/app/\(app)/deploy", ["env": "prod", "forks": 3])
            #expect(deploy.status == .created)
            let jobs = try #require(deploy.json["jobs"]?.arrayValue)
            #expect(jobs.compactMap { $0["playbook_id"]?.intValue } == [first, second])
            #expect(jobs.allSatisfy { $0["inventory_id"] == .int(prod) && $0["env"] == "prod" })
            let stored = try await postgres.query("SELECT count(*) FROM jobs WHERE app_id = \(app)").decode(Int64.self).first { _ in true }
            #expect(stored == 2)
            let listed = try await client.api("/api/v1/jobs?app=\(app)", method: .get).json()
            #expect(listed["jobs"]?.arrayValue?.count == 2)

            let missing = try await client.create("/api/v1/app/\(app)/deploy", ["env": "staging"])
            #expect(missing.status == .conflict)
            #expect(missing.json["error", "code"] == "no_inventory")
            #expect(try await client.create("/api/v1/app/999/deploy", ["env": "prod"]).status == .notFound)
        }
    }

    @Test(arguments: GatewayTestBackend.available)
    func theAnsibleListingIsServed(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            let id = try await Fixtures(client: client).inventory(hosts: "all:\n  hosts:\n    web[1:2]:\n      port: 22\n")
            let response = try await client.api("/api/v1/inventory/\(id)/ansible", method: .get)
            #expect(response.status == .ok)
            let listing = try response.json()
            #expect(listing["_meta", "hostvars", "web1", "port"] == 22)
            #expect(listing["ungrouped", "hosts"] == ["web1", "web2"])
            let inventory = try await client.api("/api/v1/inventory/\(id)", method: .get).json()
            #expect(inventory["host_count"] == 2)
        }
    }
}
