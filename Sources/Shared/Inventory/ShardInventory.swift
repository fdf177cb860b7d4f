import Foundation

/// The self-contained inventory of a subset of hosts (a shard): what a worker hands `ansible-playbook`.
///
/// It keeps every group that holds one of the hosts (a group holding a host keeps all its ancestors, so
/// every depth is unchanged), each restricted to those hosts, with the groups' variables and priorities,
/// the parent/child links among them, each host's own variables, and the vars document's entries for those
/// groups as `group_vars` files. Ansible then computes the same variables and `group_names` for every host as
/// on the whole inventory. What cannot be the same: the `groups` magic variable lists only the shard's hosts,
/// and plays that need every host at once (`run_once`, `serial`, another host's `hostvars`) see only the
/// shard; such jobs run as one shard (`shards: 1` or `shard_size: 0`).
public struct ShardInventory: Sendable, Equatable {
    /// A static inventory in Ansible's YAML-inventory structure (valid JSON, read by the `yaml` plugin).
    public var inventory: JSONValue
    /// Group name → variables, for `group_vars/<group>.json`; nil when there are none.
    public var groupVars: JSONValue?

    public init(inventory: JSONValue, groupVars: JSONValue?) {
        self.inventory = inventory
        self.groupVars = groupVars
    }

    /// The inventory restricted to `hostIDs`.
    public init(_ source: Inventory, hosts hostIDs: [Int]) {
        var members: [Int: [Int]] = [:]
        var kept: Set<Int> = [Inventory.allGroup]
        for host in hostIDs.sorted() {
            for group in source.hosts[host].groups { members[group, default: []].append(host) }
            kept.formUnion(source.groupsOf(host: host))
        }
        var document: [String: JSONValue] = [:]
        var placed: Set<Int> = []
        var groupVars: [String: JSONValue] = [:]
        for id in kept.sorted() {
            let group = source.groups[id]
            var entry: [String: JSONValue] = [:]
            var vars = group.vars
            if group.priority != 1 { vars["ansible_group_priority"] = .int(Int64(group.priority)) }
            if !vars.isEmpty { entry["vars"] = .object(vars) }
            let children = group.children.filter { kept.contains($0) }
            if !children.isEmpty {
                entry["children"] = .object(Dictionary(uniqueKeysWithValues: children.map { (source.groups[$0].name, JSONValue.null) }))
            }
            if let hosts = members[id] {
                var object: [String: JSONValue] = [:]
                for host in hosts {
                    let own = source.hosts[host].vars
                    object[source.hosts[host].name] = placed.insert(host).inserted && !own.isEmpty ? .object(own) : .null
                }
                entry["hosts"] = .object(object)
            }
            document[group.name] = .object(entry)
            if let documentVars = group.documentVars { groupVars[group.name] = .object(documentVars) }
        }
        self.inventory = .object(document)
        self.groupVars = groupVars.isEmpty ? nil : .object(groupVars)
    }

    /// Writes `inventory.json` and `group_vars/<group>.json` into `directory`; returns the inventory's path
    /// (for `ansible-playbook -i`).
    @discardableResult
    public func write(to directory: URL) throws -> URL {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        let inventoryURL = directory.appendingPathComponent("inventory.json")
        try Data(PythonJSON.encode(inventory, asciiOnly: false)).write(to: inventoryURL)
        if case .object(let groups)? = groupVars {
            let groupVarsURL = directory.appendingPathComponent("group_vars")
            try fileManager.createDirectory(at: groupVarsURL, withIntermediateDirectories: true)
            for (name, vars) in groups where !name.contains("/") && name != "." && name != ".." {
                try Data(PythonJSON.encode(vars, asciiOnly: false)).write(to: groupVarsURL.appendingPathComponent("\(name).json"))
            }
        }
        return inventoryURL
    }
}
