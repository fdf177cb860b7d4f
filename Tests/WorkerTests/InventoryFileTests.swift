import Foundation
import Shared
import Testing

@testable import Worker

/// The shard's inventory, as the splitter makes it and the worker writes it into the run directory, reads
/// back through Ansible exactly as the whole inventory does for those hosts.
@Suite struct InventoryFileTests {
    static let hosts = """
        all:
          vars:
            site: lab
          children:
            app:
              vars:
                tier: app
              children:
                web:
                  hosts:
                    web1:
                      ansible_connection: local
                      port: 8080
                      nested: {list: [1, two, true]}
                      quote: it's "quoted"
                  vars:
                    http: true
                db:
                  hosts:
                    db1:
                      ansible_host: 10.0.0.5
                      role: primary
          hosts:
            lonely:
        """

    @Test func ansibleReadsTheShardInventoryExactly() async throws {
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let directory = try RunDirectory.create(workDirectory: work, runID: UUID())
        let inventory = try Inventory(hosts: Self.hosts, vars: "db:\n  backup: nightly\n")
        let shardInventory = ShardInventory(inventory, hosts: Array(inventory.hosts.indices))
        let shard = ShardMessage(
            jobUUID: UUID(), jobID: 1, index: 0, count: 1, pool: "default", playbook: PlaybookSpec(id: 1, name: "p", gitRepo: "/r", entry: "site.yml"),
            inventory: shardInventory.inventory, hosts: inventory.hosts.map(\.name), options: JobOptions(), credential: nil,
            groupVars: shardInventory.groupVars)
        try directory.writeInventory(of: shard)

        let output = try await CommandRunner.run(
            "ansible-inventory", ["-i", directory.inventoryFile, "--list"],
            environment: ProcessInfo.processInfo.environment.merging(["ANSIBLE_INVENTORY_ENABLED": "yaml"]) { _, new in new },
            directory: work)
        #expect(output.status == .exited(0))
        let json = output.text[output.text.firstIndex(of: "{")!...]
        var readBack = try MessageCoding.decode(JSONValue.self, from: Array(json.utf8)).objectValue ?? [:]
        if case .object(var meta) = readBack["_meta"] {
            meta["profile"] = nil
            readBack["_meta"] = .object(meta)
        }
        var expected = try MessageCoding.decode(JSONValue.self, from: try inventory.listJSON()).objectValue ?? [:]
        expected["_meta"] = expected["_meta"]?.objectValue.map { meta in .object(meta.filter { $0.key != "profile" }) }
        // Same groups, members and variables; the order in which a group lists its children may differ.
        #expect(Self.sortingChildren(readBack) == Self.sortingChildren(expected))
        #expect(readBack["_meta"]?["hostvars"]?["db1"]?["backup"] == .string("nightly"))
    }

    static func sortingChildren(_ list: [String: JSONValue]) -> [String: JSONValue] {
        list.mapValues { group in
            guard case .object(var entry) = group, case .array(let children)? = entry["children"] else { return group }
            entry["children"] = .array(children.sorted { ($0.stringValue ?? "") < ($1.stringValue ?? "") })
            return .object(entry)
        }
    }
}
