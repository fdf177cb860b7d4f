import Foundation
import Testing

@testable import Shared

/// A shard's inventory, read back, gives each of its hosts the variables and groups the whole inventory gives.
@Suite struct ShardInventoryTests {
    static let inventories = InventoryDifferentialTests.inventories.filter { !$0.hasPrefix("error-") }

    static func load(_ name: String) throws -> (text: String, vars: String?) {
        let text = try String(contentsOf: InventoryDifferentialTests.corpus.appendingPathComponent(name), encoding: .utf8)
        let varsURL = InventoryDifferentialTests.corpus.appendingPathComponent((name as NSString).deletingPathExtension + ".vars.yml")
        return (text, try? String(contentsOf: varsURL, encoding: .utf8))
    }

    @Test("shards of two hosts read back the same", arguments: inventories)
    func shardsAreSelfContained(_ name: String) throws {
        let (text, vars) = try Self.load(name)
        let whole = try Inventory(hosts: text, vars: vars)
        let order = whole.hosts.indices.sorted { PythonJSON.keyOrder(whole.hosts[$0].name, whole.hosts[$1].name) }
        for start in stride(from: 0, to: order.count, by: 2) {
            let ids = Array(order[start..<min(start + 2, order.count)])
            let shard = ShardInventory(whole, hosts: ids)
            let inventoryText = String(decoding: PythonJSON.encode(shard.inventory, asciiOnly: false), as: UTF8.self)
            let varsText = shard.groupVars.map { String(decoding: PythonJSON.encode($0, asciiOnly: false), as: UTF8.self) }
            let part = try Inventory(hosts: inventoryText, vars: varsText)
            #expect(Set(part.hosts.map(\.name)) == Set(ids.map { whole.hosts[$0].name }), "\(name)")
            for id in ids {
                let hostName = whole.hosts[id].name
                let partID = try #require(part.hostID(named: hostName))
                // Compared as printed: NaN is not equal to itself.
                #expect(
                    PythonJSON.encode(.object(part.hostVariables(partID))) == PythonJSON.encode(.object(whole.hostVariables(id))),
                    "\(name): variables of \(hostName)")
                let wholeGroups = Set(whole.groupsOf(host: id).map { whole.groups[$0].name })
                #expect(Set(part.groupsOf(host: partID).map { part.groups[$0].name }) == wholeGroups, "\(name): groups of \(hostName)")
                let depths = whole.groupsOf(host: id).map { whole.groups[$0].name + "@\(whole.groups[$0].depth)/\(whole.groups[$0].priority)" }
                let partDepths = part.groupsOf(host: partID).map { part.groups[$0].name + "@\(part.groups[$0].depth)/\(part.groups[$0].priority)" }
                #expect(Set(depths) == Set(partDepths), "\(name): depths of \(hostName)")
            }
        }
    }

    /// Ansible itself reads a written shard (inventory.json and group_vars/) to the same host variables.
    @Test("ansible-inventory reads a written shard the same", arguments: ["precedence.yml", "groupvarsorder.yml", "twice.yml"])
    func ansibleReadsWrittenShards(_ name: String) async throws {
        guard AnsibleCLI.isAvailable else { return }
        let (text, vars) = try Self.load(name)
        let whole = try Inventory(hosts: text, vars: vars)
        let expected = try CanonicalJSON.parse(String(decoding: try whole.listJSON(), as: UTF8.self))
        let ids = Array(whole.hosts.indices.prefix(2))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-shard-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let inventoryURL = try ShardInventory(whole, hosts: ids).write(to: directory)
        let ansible = try await AnsibleCLI.run(["ansible-inventory", "-i", inventoryURL.path, "--list"])
        #expect(ansible.status == 0, "\(ansible.stderr)")
        let actual = try CanonicalJSON.parse(ansible.stdout)
        for id in ids {
            let hostName = whole.hosts[id].name
            #expect(actual["_meta"]?["hostvars"]?[hostName] == expected["_meta"]?["hostvars"]?[hostName], "\(name): \(hostName)")
        }
    }
}
