import Yams

extension Inventory {
    /// Reads the seed's inventory documents exactly as Ansible's `yaml` inventory plugin reads a file.
    ///
    /// - Parameters:
    ///   - hosts: The inventory: YAML, or JSON in the same structure (`all:` / `hosts:` / `children:` / `vars:`).
    ///     As in Ansible, a section written as a single string is one key: `hosts: localhost` is the host
    ///     `localhost` (the seed's example relies on this), `children: web` the group `web`, `vars: x` the
    ///     variable `x` set to null. Keys other than `hosts`, `children` and `vars`, and groups that are not
    ///     mappings, are skipped as Ansible skips them (with a warning there).
    ///   - vars: The seed's vars document: group name → variables, applied like `group_vars/<group>` files next
    ///     to the inventory (after every inventory group variable; see ``Inventory``). Groups the inventory
    ///     does not have are ignored, as Ansible ignores their `group_vars` files.
    /// - Throws: ``InventoryError`` naming the problem, the group or host, and the line and column.
    public init(hosts text: String, vars varsText: String? = nil) throws(InventoryError) {
        self.init()
        do {
            try parseInventory(text)
        } catch {
            throw error.inDocument("hosts")
        }
        try reconcile()
        if let varsText {
            do {
                try applyVarsDocument(varsText)
            } catch {
                throw error.inDocument("vars")
            }
        }
    }

    private mutating func parseInventory(_ text: String) throws(InventoryError) {
        let (root, reader) = try AnsibleYAML.compose(text)
        guard let root, !isFalsy(root, reader) else {
            throw InventoryError(.structure, "Parsed empty YAML file")
        }
        guard case .mapping(let mapping) = root else {
            throw AnsibleYAML.error(
                .structure, "YAML inventory has invalid structure, it should be a dictionary, got: \(reader.typeName(root))", at: root)
        }
        let pairs = try reader.pairs(mapping)
        for (key, value) in pairs {
            if try reader.stringKey(key) == "plugin", !isFalsy(value, reader) {
                throw AnsibleYAML.error(.structure, "Plugin configuration YAML file, not YAML inventory", at: key)
            }
        }
        for (key, value) in pairs {
            _ = try parseGroup(key, value, reader)
        }
    }

    /// Python truthiness of a YAML value.
    func isFalsy(_ node: Node, _ reader: AnsibleYAML) -> Bool {
        switch node {
        case .mapping(let mapping): return mapping.count == 0
        case .sequence(let sequence): return sequence.count == 0
        case .alias: return false
        case .scalar(let scalar):
            switch (try? reader.scalar(node, scalar)) ?? .string("x") {
            case .null: return true
            case .bool(let flag): return !flag
            case .int(let number): return number == 0
            case .double(let number): return number == 0
            case .string(let text): return text.isEmpty
            case .array(let items): return items.isEmpty
            case .object(let object): return object.isEmpty
            }
        }
    }

    private func isNull(_ node: Node, _ reader: AnsibleYAML) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return (try? reader.scalar(node, scalar)) == .null
    }

    /// A section written as one string is a mapping with that key and a null value.
    private enum Section {
        case null
        case pairs([(key: Node, value: Node)])
    }

    private func section(_ name: String, _ node: Node, group: String, _ reader: AnsibleYAML) throws(InventoryError) -> Section {
        switch node {
        case .mapping(let mapping):
            return .pairs(try reader.pairs(mapping))
        case .scalar(let scalar):
            let value = try reader.scalar(node, scalar)
            if value == .null { return .null }
            if case .string = value { return .pairs([(node, Node("", Tag(.null)))]) }
        default:
            break
        }
        throw AnsibleYAML.error(
            .section, "Invalid \"\(name)\" entry for \"\(group)\" group, requires a dictionary, found \"\(reader.typeName(node))\" instead.",
            at: node, group: group)
    }

    /// `InventoryModule._parse_group`; returns the group's name (or the key, when it is not a group definition).
    private mutating func parseGroup(_ key: Node, _ data: Node, _ reader: AnsibleYAML) throws(InventoryError) -> ParsedChild {
        let isDefinition: Bool
        switch data {
        case .mapping: isDefinition = true
        default: isDefinition = isNull(data, reader)
        }
        guard isDefinition else {
            // Ansible skips it with a warning; a parent then adds it as a child only if it already exists.
            return .notDefinition(try reader.stringKey(key))
        }
        guard let name = try reader.stringKey(key) else {
            throw AnsibleYAML.error(
                .groupName, "Unable to add group: invalid group name, expected a string but got \(reader.typeName(key))", at: key)
        }
        guard !name.isEmpty else {
            throw AnsibleYAML.error(.groupName, "Unable to add group: invalid empty group name", at: key)
        }
        let id = addGroup(name)
        guard case .mapping(let mapping) = data else { return .group(id) }
        let pairs = try reader.pairs(mapping)
        var sections: [String: Section] = [:]
        for (sectionKey, value) in pairs {
            if let text = try reader.stringKey(sectionKey), ["vars", "children", "hosts"].contains(text) {
                sections[text] = try section(text, value, group: name, reader)
            }
        }
        for (sectionKey, _) in pairs {
            let text = try reader.stringKey(sectionKey)
            let content: Section
            if let text, let normalised = sections[text] {
                content = normalised
            } else {
                // Not a section: skipped (with a warning in Ansible) whatever its value.
                continue
            }
            guard case .pairs(let entries) = content else { continue }
            switch text {
            case "vars":
                for (variable, value) in entries {
                    try setVariable(entity: name, key: reader.keyText(variable), value: reader.value(value), keyNode: variable)
                }
            case "children":
                for (childKey, childData) in entries {
                    let child = try parseGroup(childKey, childData, reader)
                    try addChildEntry(parent: id, child: child, node: childKey, reader)
                }
            default:
                for (hostKey, hostData) in entries {
                    try parseHosts(hostKey, hostData, group: id, reader)
                }
            }
        }
        return .group(id)
    }

    enum ParsedChild {
        case group(Int)
        case notDefinition(String?)
    }

    private mutating func addChildEntry(parent: Int, child: ParsedChild, node: Node, _ reader: AnsibleYAML) throws(InventoryError) {
        let parentName = groups[parent].name
        switch child {
        case .group(let id):
            do {
                try addChild(group: parent, childGroup: id)
            } catch .itself {
                throw AnsibleYAML.error(.cycle, "group '\(parentName)' cannot be its own child", at: node, group: parentName)
            } catch {
                throw AnsibleYAML.error(
                    .cycle, "Adding group '\(groups[id].name)' as child to '\(parentName)' creates a recursive dependency loop.", at: node,
                    group: parentName)
            }
        case .notDefinition(let name):
            // `InventoryData.add_child`: an existing group or host by that name, otherwise an error.
            if let name, let id = groupIndex[name] {
                try addChildEntry(parent: parent, child: .group(id), node: node, reader)
            } else if let name, let host = hostIndex[name] {
                addMember(group: parent, host: host)
            } else {
                let shown = name ?? (try? reader.keyText(node)) ?? "?"
                throw AnsibleYAML.error(
                    .unknownChild,
                    "Unable to add child '\(shown)' to group '\(parentName)': it is not a group definition (a mapping) "
                        + "nor a known group or host", at: node, group: parentName)
            }
        }
    }

    private mutating func parseHosts(_ key: Node, _ data: Node, group: Int, _ reader: AnsibleYAML) throws(InventoryError) {
        let groupName = groups[group].name
        guard let pattern = try reader.stringKey(key) else {
            let shown = (try? reader.keyText(key)) ?? reader.typeName(key)
            throw AnsibleYAML.error(
                .host, "Host pattern \(shown) must be a string. Enclose integers/floats in quotation marks.", at: key, group: groupName)
        }
        let names: [String]
        let port: Int?
        do {
            (names, port) = try HostRange.expand(pattern)
        } catch {
            throw AnsibleYAML.error(.hostRange, "\(error.message) in host pattern '\(pattern)'", at: key, group: groupName, host: pattern)
        }
        var variables: [(key: Node, value: Node)] = []
        if !isFalsy(data, reader) {
            guard case .mapping(let mapping) = data else {
                throw AnsibleYAML.error(
                    .host, "Invalid variables for host '\(pattern)': expected a mapping, got \(reader.typeName(data))", at: data,
                    group: groupName, host: pattern)
            }
            variables = try reader.pairs(mapping)
        }
        var values: [(String, JSONValue, Node)] = []
        values.reserveCapacity(variables.count)
        for (variable, value) in variables {
            values.append((try reader.keyText(variable), try reader.value(value), variable))
        }
        for name in names {
            guard !name.isEmpty else {
                throw AnsibleYAML.error(.host, "Invalid empty host name provided", at: key, group: groupName)
            }
            guard name.utf8.count <= Self.maximumHostNameBytes else {
                throw AnsibleYAML.error(
                    .host, "host name of \(name.utf8.count) bytes is longer than the \(Self.maximumHostNameBytes) bytes Pansible stores",
                    at: key, group: groupName, host: String(name.prefix(64)) + "…")
            }
            _ = addHost(name, group: group, port: port)
            for (variable, value, node) in values {
                try setVariable(entity: name, key: variable, value: value, keyNode: node)
            }
        }
    }

    /// `InventoryData.set_variable`: a group of that name wins over a host of that name.
    mutating func setVariable(entity: String, key: String, value: JSONValue, keyNode: Node?) throws(InventoryError) {
        if let id = groupIndex[entity] {
            if key == "ansible_group_priority" {
                guard let priority = Self.pythonInt(value) else {
                    throw AnsibleYAML.error(
                        .value, "ansible_group_priority of group '\(entity)' must be an integer", at: keyNode, group: entity)
                }
                groups[id].priority = priority
            } else {
                groups[id].vars[key] = value
            }
        } else if let id = hostIndex[entity] {
            hosts[id].vars[key] = value
        }
    }

    /// Python's `int(value)`.
    static func pythonInt(_ value: JSONValue) -> Int? {
        switch value {
        case .int(let number): return Int(number)
        case .bool(let flag): return flag ? 1 : 0
        case .double(let number): return number.isFinite ? Int(number.rounded(.towardZero)) : nil
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.hasPrefix("_"), !trimmed.hasSuffix("_"), !trimmed.contains("__") else { return nil }
            return Int(trimmed.replacingOccurrences(of: "_", with: ""))
        default: return nil
        }
    }

    // MARK: - Vars document

    private mutating func applyVarsDocument(_ text: String) throws(InventoryError) {
        let (root, reader) = try AnsibleYAML.compose(text)
        guard let root, !isFalsy(root, reader) else { return }
        guard case .mapping(let mapping) = root else {
            throw AnsibleYAML.error(.structure, "the vars document must map group names to variables, got \(reader.typeName(root))", at: root)
        }
        for (key, value) in try reader.pairs(mapping) {
            guard let name = try reader.stringKey(key), !name.isEmpty else {
                throw AnsibleYAML.error(.groupName, "a group name in the vars document must be a non-empty string", at: key)
            }
            guard !name.contains("/"), name != ".", name != ".." else {
                throw AnsibleYAML.error(.groupName, "group name '\(name)' cannot name a group_vars file", at: key, group: name)
            }
            var variables: [String: JSONValue] = [:]
            if !isNull(value, reader) {
                guard case .mapping(let entries) = value else {
                    throw AnsibleYAML.error(
                        .section, "variables of group '\(name)' in the vars document must be a mapping, got \(reader.typeName(value))",
                        at: value, group: name)
                }
                variables = try reader.object(entries)
            }
            guard let id = groupIndex[name] else { continue }
            groups[id].documentVars = (groups[id].documentVars ?? [:]).merging(variables) { _, new in new }
        }
    }
}
