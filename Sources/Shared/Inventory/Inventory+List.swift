extension Inventory {
    /// What `ansible-inventory -i FILE --list [--limit PATTERN]` prints, byte for byte except
    /// `_meta.profile` (kept as Ansible prints it): every group with its (limited) `hosts` and `children`,
    /// empty keys and empty groups left out (though still named in their parents' `children`, as `all` names
    /// `ungrouped`), and `_meta.hostvars` with each host's flattened variables (hosts without any left out).
    public func listJSON(limit: String? = nil) throws(InventoryError) -> [UInt8] {
        let selected: [Int] = try limit.map { pattern throws(InventoryError) in try self.limit(pattern) } ?? Array(hosts.indices)
        var available = [Bool](repeating: limit == nil, count: hosts.count)
        if limit != nil { for id in selected { available[id] = true } }

        var entries: [(name: String, value: [UInt8])] = []
        for id in groups.indices {
            let group = groups[id]
            let members = id == Self.allGroup ? [] : group.hosts.filter { available[$0] }
            if members.isEmpty && group.children.isEmpty { continue }
            var object: [String: JSONValue] = [:]
            if !members.isEmpty { object["hosts"] = .array(members.map { .string(hosts[$0].name) }) }
            if !group.children.isEmpty { object["children"] = .array(group.children.map { .string(groups[$0].name) }) }
            var writer = PythonJSON(capacity: 64 + members.count * 24)
            writer.writeObject(object, indent: 1)
            entries.append((group.name, writer.bytes))
        }
        entries.append(("_meta", metaJSON(hosts: selected)))
        entries.sort { PythonJSON.keyOrder($0.name, $1.name) }

        var writer = PythonJSON(capacity: 1 << 20)
        writer.append("{")
        for (index, entry) in entries.enumerated() {
            if index > 0 { writer.append(",") }
            writer.newline(indent: 1)
            writer.writeString(entry.name)
            writer.append(": ")
            writer.append(bytes: entry.value)
        }
        writer.newline(indent: 0)
        writer.append("}")
        return writer.bytes
    }

    /// `_meta` at indentation level 1. Hosts that share their groups share their group variables, which are
    /// merged and written once.
    private func metaJSON(hosts selected: [Int]) -> [UInt8] {
        struct Shared {
            var variables: [String: JSONValue]
            var bytes: [UInt8]
        }
        var cache: [[Int]: Shared] = [:]
        var rendered: [(name: String, bytes: [UInt8]?, shared: [Int]?)] = []
        rendered.reserveCapacity(selected.count)
        for id in selected {
            let host = hosts[id]
            let signature = host.groups.sorted()
            if cache[signature] == nil {
                let variables = groupVariables(sortedGroups: precedenceOrder(groupsOf(host: id)))
                var writer = PythonJSON(capacity: 256)
                writer.writeObject(variables, indent: 3)
                cache[signature] = Shared(variables: variables, bytes: writer.bytes)
            }
            if host.vars.isEmpty {
                if cache[signature]!.variables.isEmpty { continue }
                rendered.append((host.name, nil, signature))
            } else {
                var variables = cache[signature]!.variables
                variables.merge(host.vars) { _, new in new }
                var writer = PythonJSON(capacity: 256)
                writer.writeObject(variables, indent: 3)
                rendered.append((host.name, writer.bytes, nil))
            }
        }
        rendered.sort { PythonJSON.keyOrder($0.name, $1.name) }

        var writer = PythonJSON(capacity: 1 << 20)
        writer.append("{")
        writer.newline(indent: 2)
        writer.append("\"hostvars\": ")
        if rendered.isEmpty {
            writer.append("{}")
        } else {
            writer.append("{")
            for (index, entry) in rendered.enumerated() {
                if index > 0 { writer.append(",") }
                writer.newline(indent: 3)
                writer.writeString(entry.name)
                writer.append(": ")
                if let bytes = entry.bytes {
                    writer.append(bytes: bytes)
                } else {
                    writer.append(bytes: cache[entry.shared!]!.bytes)
                }
            }
            writer.newline(indent: 2)
            writer.append("}")
        }
        writer.append(",")
        writer.newline(indent: 2)
        writer.append("\"profile\": \"inventory_legacy\"")
        writer.newline(indent: 1)
        writer.append("}")
        return writer.bytes
    }
}
