import Foundation
import Testing
import Yams

@testable import Shared

/// Every inventory in `Corpus/` read by Pansible and by `ansible-inventory --list` must give the same groups,
/// hosts and host variables; the `error-*` ones must be rejected by both. A `NAME.vars.yml` next to an
/// inventory is its vars document: Ansible gets it as `group_vars/<group>.yml` files next to the inventory.
@Suite struct InventoryDifferentialTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")

    static let inventories: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
        return names.filter { !$0.hasSuffix(".vars.yml") && !$0.hasPrefix(".") }.sorted()
    }()

    /// Writes the inventory (and its vars document as group_vars files) into a fresh directory.
    static func stage(_ name: String) throws -> (directory: URL, inventory: URL, varsText: String?) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-corpus-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let inventory = directory.appendingPathComponent(name)
        try FileManager.default.copyItem(at: corpus.appendingPathComponent(name), to: inventory)
        let varsURL = corpus.appendingPathComponent((name as NSString).deletingPathExtension + ".vars.yml")
        guard let varsText = try? String(contentsOf: varsURL, encoding: .utf8) else { return (directory, inventory, nil) }
        let groupVars = directory.appendingPathComponent("group_vars")
        try FileManager.default.createDirectory(at: groupVars, withIntermediateDirectories: true)
        guard case .mapping(let mapping)? = try Yams.compose(yaml: varsText) else {
            Issue.record("\(varsURL.lastPathComponent) is not a mapping")
            return (directory, inventory, varsText)
        }
        for (key, value) in mapping {
            try Yams.serialize(node: value).write(
                to: groupVars.appendingPathComponent("\(key.string!).yml"), atomically: true, encoding: .utf8)
        }
        return (directory, inventory, varsText)
    }

    @Test("ansible-inventory --list agrees", arguments: inventories)
    func matchesAnsible(_ name: String) async throws {
        guard AnsibleCLI.isAvailable else { return }
        let staged = try Self.stage(name)
        defer { try? FileManager.default.removeItem(at: staged.directory) }
        let ansible = try await AnsibleCLI.run(["ansible-inventory", "-i", staged.inventory.path, "--list"])

        let text = try String(contentsOf: staged.inventory, encoding: .utf8)
        let ours: Result<[UInt8], InventoryError> = Result { () throws(InventoryError) in
            try Inventory(hosts: text, vars: staged.varsText).listJSON()
        }
        if name.hasPrefix("error-") {
            #expect(ansible.status != 0, "ansible-inventory accepted \(name): \(ansible.stdout)")
            guard case .failure(let error) = ours else {
                Issue.record("Pansible accepted \(name)")
                return
            }
            #expect(!error.message.isEmpty)
            return
        }
        #expect(ansible.status == 0, "ansible-inventory failed on \(name): \(ansible.stderr)")
        let output = try ours.get()
        let expected = try CanonicalJSON.parse(ansible.stdout).withoutProfile
        let actual = try CanonicalJSON.parse(String(decoding: output, as: UTF8.self)).withoutProfile
        #expect(actual == expected, "\(name) differs from ansible-inventory")
        if actual != expected, case .object(let a) = actual, case .object(let e) = expected {
            for key in Set(a.keys).union(e.keys) where a[key] != e[key] {
                Issue.record("\(key): ours \(a[key].map(\.description) ?? "-") ansible \(e[key].map(\.description) ?? "-")")
            }
        }
    }

    static let limits: [String] = ["web", "db*", "all:!web", "web:&prod", "~w1", "prod[0]", "web[-1]", "web[0:1]", "w1,d1"]

    @Test("ansible-inventory --list --limit agrees", arguments: limits)
    func limitedListMatchesAnsible(_ limit: String) async throws {
        guard AnsibleCLI.isAvailable else { return }
        let inventory = try HostPatternDifferentialTests.stageInventory()
        defer { try? FileManager.default.removeItem(at: inventory.deletingLastPathComponent()) }
        let ansible = try await AnsibleCLI.run(["ansible-inventory", "-i", inventory.path, "--list", "--limit", limit])
        #expect(ansible.status == 0, "\(ansible.stderr)")
        let output = try Inventory(hosts: HostPatternDifferentialTests.inventoryText).listJSON(limit: limit)
        let actual = try CanonicalJSON.parse(String(decoding: output, as: UTF8.self)).withoutProfile
        #expect(actual == (try CanonicalJSON.parse(ansible.stdout).withoutProfile), "limit \(limit)")
    }
}
