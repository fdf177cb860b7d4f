import Foundation
import Shared
import Testing

@testable import Worker

/// The shard's inventory, written into the run directory, reads back through Ansible exactly.
@Suite struct InventoryFileTests {
    @Test func ansibleReadsTheShardInventoryExactly() async throws {
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let directory = try RunDirectory.create(workDirectory: work, runID: UUID())
        let inventory: JSONValue = [
            "_meta": [
                "hostvars": [
                    "web1": ["ansible_connection": "local", "port": 8080, "nested": ["list": [1, "two", true]], "quote": "it's \"quoted\""],
                    "db1": ["ansible_host": "10.0.0.5", "role": "primary"],
                    "lonely": [:],
                ]
            ],
            "all": ["children": ["ungrouped", "app"]],
            "app": ["children": ["web", "db"], "vars": ["tier": "app"]],
            "web": ["hosts": ["web1"], "vars": ["http": true]],
            "db": ["hosts": ["db1"]],
            "ungrouped": ["hosts": ["lonely"]],
        ]
        try directory.writeInventory(inventory)

        let output = try await CommandRunner.run(
            "ansible-inventory", ["-i", directory.inventoryScript, "--list", "--export"],
            environment: ProcessInfo.processInfo.environment.merging(["ANSIBLE_INVENTORY_ENABLED": "script"]) { _, new in new },
            directory: work)
        #expect(output.status == .exited(0))
        let json = output.text[output.text.firstIndex(of: "{")!...]
        var readBack = try MessageCoding.decode(JSONValue.self, from: Array(json.utf8)).objectValue ?? [:]
        // ansible-inventory adds its own marker and leaves out hosts without variables from hostvars;
        // everything else must be what the shard carried.
        if case .object(var meta) = readBack["_meta"] {
            meta["profile"] = nil
            readBack["_meta"] = .object(meta)
        }
        var expected = inventory.objectValue ?? [:]
        var hostvars = expected["_meta"]?["hostvars"]?.objectValue ?? [:]
        hostvars = hostvars.filter { $0.value != [:] }
        expected["_meta"] = ["hostvars": .object(hostvars)]
        #expect(JSONValue.object(readBack) == JSONValue.object(expected))
    }
}
