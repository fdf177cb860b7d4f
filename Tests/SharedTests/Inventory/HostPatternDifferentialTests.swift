import Foundation
import Testing

@testable import Shared

/// `limit` patterns applied by Pansible and by `ansible all --list-hosts -l PATTERN` select the same hosts in
/// the same order.
@Suite struct HostPatternDifferentialTests {
    /// One nested parent (`prod`), so that Ansible's own host order is deterministic.
    static let inventoryText = """
        all:
          hosts:
            solo:
            10.0.0.5:
          children:
            web:
              hosts:
                w[1:4]:
                shared:
            db:
              hosts:
                d[1:3]:
                shared:
            prod:
              children:
                web:
              hosts:
                p1:
            staging:
              hosts:
                s1:
                w2:
            ungr:
              hosts:
                web:
        """

    static func stageInventory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-patterns-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("inventory.yml")
        try inventoryText.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static let patterns: [String] = [
        "all", "*", "web", "w1", "w*", "w?", "[ds]*", "[!w]*", "web:db", "web,db", "web:&staging", "web:!staging",
        "!web", "&web", "db:!d2:web", "~w[12]", "~(d|p)", "~1", "web[0]", "web[-1]", "web[1:2]", "web[2:]", "*[0]",
        "prod", "prod[0:1]", "10.0.0.*", "10.0.0.5", "nothing", "web:nothing", "ungrouped", "al*", "web,!w1,&prod",
        "shared", "s*:!staging", "web[0:0]",
    ]

    @Test("ansible --list-hosts agrees", arguments: patterns)
    func matchesAnsible(_ pattern: String) async throws {
        guard AnsibleCLI.isAvailable else { return }
        let url = try Self.stageInventory()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let ansible = try await AnsibleCLI.run(["ansible", "all", "-i", url.path, "--list-hosts", "-l", pattern])
        let inventory = try Inventory(hosts: Self.inventoryText)
        let ours = try inventory.limit(pattern).map { inventory.hosts[$0].name }
        if ansible.status != 0 {
            #expect(ansible.stderr.contains("no hosts to target"), "\(pattern): \(ansible.stderr)")
            #expect(ours.isEmpty, "\(pattern): Ansible found no host, Pansible found \(ours)")
            return
        }
        let lines = ansible.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let expected = Array(lines.drop { !$0.hasPrefix("hosts (") }.dropFirst())
        #expect(ours == expected, "pattern \(pattern)")
    }
}
