import Foundation
import Shared
import Testing

@testable import Worker

/// The shard's inventory and group variables, written into the run directory, read back through Ansible
/// with the environment the worker gives `ansible-playbook`.
@Suite struct InventoryFileTests {
    @Test func ansibleReadsTheShardInventory() async throws {
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let directory = try RunDirectory.create(workDirectory: work, runID: UUID())
        let inventory: JSONValue = [
            "all": ["children": ["app": .null]],
            "app": ["children": ["web": .null, "db": .null], "vars": ["tier": "app"]],
            "web": ["hosts": ["web1": ["ansible_connection": "local", "port": 8080, "quote": "it's \"quoted\""]], "vars": ["http": true]],
            "db": ["hosts": ["db1": ["role": "primary"]]],
        ]
        try directory.writeInventory(inventory, groupVars: ["web": ["from_vars_document": "yes"]])

        let configuration = try WorkerFixtures.configuration(workDirectory: work).worker
        let shard = ShardMessage(
            jobUUID: UUID(), jobID: 1, index: 0, count: 1, pool: "default",
            playbook: PlaybookSpec(id: 1, name: "p", gitRepo: "/r", entry: "site.yml", commit: "abc1234"), inventory: inventory,
            hosts: ["web1", "db1"], options: JobOptions(), credential: nil)
        let invocation = AnsibleInvocation(
            shard: shard, directory: directory, configuration: configuration, pluginDirectory: "/p",
            baseEnvironment: ProcessInfo.processInfo.environment, secret: nil, mitogenStrategies: nil)
        let output = try await CommandRunner.run(
            "ansible-inventory", ["-i", directory.inventoryFile, "--list"], environment: invocation.environment, directory: work)
        #expect(output.status == .exited(0))
        let json = output.text[output.text.firstIndex(of: "{")!...]
        let listed = try MessageCoding.decode(JSONValue.self, from: Array(json.utf8))
        let web1 = listed["_meta"]?["hostvars"]?["web1"]
        #expect(web1?["port"] == 8080)
        #expect(web1?["quote"] == "it's \"quoted\"")
        #expect(web1?["http"] == true)
        #expect(web1?["tier"] == "app")
        #expect(web1?["from_vars_document"] == "yes")
        #expect(listed["_meta"]?["hostvars"]?["db1"]?["from_vars_document"] == nil)
        #expect(listed["web"]?["hosts"] == ["web1"])
        #expect(listed["app"]?["children"]?.arrayValue.map(Set.init) == Set(["web", "db"]))
    }
}
