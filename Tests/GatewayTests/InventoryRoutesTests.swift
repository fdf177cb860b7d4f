import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Gateway

/// On PostgreSQL, where the test services are; tests that need no database also run on the in-memory repositories.
struct InventoryRoutesTests {
    @Test(arguments: GatewayTestBackend.available)
    func updatesKeepEveryVersion(_ backend: GatewayTestBackend) async throws {
        try await GatewayTestApp.withApp(on: backend) { client, _ in
            let id = try await Fixtures(client: client).inventory(version: "1", hosts: "all:\n  hosts:\n    a:\n")
            let update = try await client.api(
                "/api/v1/inventory/\(id)", method: .put, json: #"{"version": "2", "hosts": "all:\n  hosts:\n    b:\n", "vars": "all:\n  x: 1\n"}"#
            )
            #expect(update.status == .ok)
            #expect(try update.json()["version"] == "2")
            #expect(try update.json()["name"] == "web")

            let current = try await client.api("/api/v1/inventory/\(id)", method: .get).json()
            #expect(current["hosts"] == "all:\n  hosts:\n    b:\n")
            #expect(current["vars"] == "all:\n  x: 1\n")
            let old = try await client.api("/api/v1/inventory/\(id)?version=1", method: .get).json()
            #expect(old["hosts"] == "all:\n  hosts:\n    a:\n")
            #expect(old["version"] == "1")
            #expect(try await client.api("/api/v1/inventory/\(id)?version=9", method: .get).status == .notFound)

            let versions = try await client.api("/api/v1/inventory/\(id)/versions", method: .get).json()
            #expect(versions["versions"]?.arrayValue?.compactMap { $0["version"]?.stringValue } == ["1", "2"])

            let again = try await client.api("/api/v1/inventory/\(id)", method: .put, json: #"{"version": "1", "hosts": "all: {}"}"#)
            #expect(again.status == .conflict)
            #expect(try again.json()["error", "code"] == "version_exists")

            let list = try await client.api("/api/v1/inventory?env=alpha", method: .get).json()
            #expect(list["inventories"]?.arrayValue?.count == 1)
            #expect(list["inventories"]?.arrayValue?.first?["hosts"] == nil)
            let none = try await client.api("/api/v1/inventory?env=beta", method: .get).json()
            #expect(none["inventories"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test(.enabled(if: TestServices.available)) func deleteIsRefusedWhileAJobUsesTheInventory() async throws {
        try await GatewayTestApp.withApp { client, postgres in
            let fixtures = Fixtures(client: client)
            let inventory = try await fixtures.inventory()
            let playbook = try await fixtures.playbook()
            let job = try await fixtures.job(playbook: playbook, inventory: inventory)
            let uuid = try #require(job.json["uuid"]?.stringValue.flatMap(UUID.init(uuidString:)))

            let refused = try await client.api("/api/v1/inventory/\(inventory)", method: .delete)
            #expect(refused.status == .conflict)
            #expect(try refused.json()["error", "code"] == "in_use")
            #expect(try await client.api("/api/v1/playbook/\(playbook)", method: .delete).status == .conflict)

            try await postgres.query("UPDATE jobs SET status = 'running' WHERE uuid = \(uuid)")
            #expect(try await client.api("/api/v1/inventory/\(inventory)", method: .delete).status == .conflict)

            try await postgres.query("UPDATE jobs SET status = 'successful' WHERE uuid = \(uuid)")
            #expect(try await client.api("/api/v1/inventory/\(inventory)", method: .delete).status == .noContent)
            #expect(try await client.api("/api/v1/inventory/\(inventory)", method: .get).status == .notFound)
            #expect(try await client.api("/api/v1/inventory/\(inventory)", method: .delete).status == .notFound)
            // The job keeps its record, without the inventory.
            let stored = try await client.api("/api/v1/job/\(uuid.uuidString)", method: .get).json()
            #expect(stored["inventory_id"] == .null)
        }
    }

    @Test(.enabled(if: TestServices.available)) func theUploadFormStoresAnInventoryWithItsToken() async throws {
        try await GatewayTestApp.withApp { client, postgres in
            let page = try await client.api("/ui/inventory", method: .get, token: nil)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains(#"enctype="multipart/form-data""#))
            #expect(page.text.contains(#"name="token""#))

            func upload(token: String, hostsAsFile: Bool) async throws -> TestResponse {
                let boundary = "----pansible-test-boundary"
                var parts: [(name: String, filename: String?, value: String)] = [
                    ("token", nil, token), ("name", nil, "from-form"), ("env", nil, "alpha"), ("version", nil, "1"),
                    ("vars", nil, "all:\n  x: 1\n"), ("vars_file", "", ""),
                ]
                if hostsAsFile {
                    parts += [("hosts", nil, ""), ("hosts_file", "hosts.yml", "all:\n  hosts:\n    filehost:\n")]
                } else {
                    parts += [("hosts", nil, "all:\n  hosts:\n    pasted:\n"), ("hosts_file", "", "")]
                }
                var body = ""
                for part in parts {
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
                    if let filename = part.filename { body += "; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream" }
                    body += "\r\n\r\n\(part.value)\r\n"
                }
                body += "--\(boundary)--\r\n"
                return try await client.execute(
                    uri: "/ui/inventory", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                    body: ByteBuffer(string: body)
                )
            }

            let refused = try await upload(token: "wrong", hostsAsFile: false)
            #expect(refused.status == .unauthorized)
            let pasted = try await upload(token: GatewayTestApp.adminToken, hostsAsFile: false)
            #expect(pasted.status == .created)
            #expect(pasted.text.contains("stored with id"))
            let file = try await upload(token: GatewayTestApp.adminToken, hostsAsFile: true)
            #expect(file.status == .created)

            let stored = try await postgres.query("SELECT hosts, vars FROM inventories ORDER BY id").decode((String, String?).self)
                .reduce(into: [(String, String?)]()) { $0.append($1) }
            #expect(stored.map(\.0) == ["all:\n  hosts:\n    pasted:\n", "all:\n  hosts:\n    filehost:\n"])
            #expect(stored.map(\.1) == ["all:\n  x: 1\n", "all:\n  x: 1\n"])
        }
    }

    @Test func multipartPartsAreSplitAtTheBoundary() throws {
        let body =
            "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\ntwo\r\n--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.yml\"\r\nContent-Type: text/plain\r\n\r\n--not-a-boundary\r\n--b--\r\n"
        let form = try MultipartForm(data: Data(body.utf8), boundary: "b")
        #expect(form.parts.map(\.name) == ["a", "f"])
        #expect(form.text("a") == "one\r\ntwo")
        #expect(form.parts[1].filename == "x.yml")
        #expect(form.text("f") == "--not-a-boundary")
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"q w\"") == "q w")
        #expect(MultipartForm.boundary(contentType: "application/json") == nil)
        #expect(throws: MultipartForm.ParseError.self) { try MultipartForm(data: Data("garbage".utf8), boundary: "b") }
    }
}
