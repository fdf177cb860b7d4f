/// An Ansible inventory as `ansible-inventory` sees it once its sources are read: groups with their hosts,
/// children and variables, hosts with theirs, and the implicit `all` and `ungrouped` groups reconciled.
///
/// Build one with ``init(hosts:vars:)`` (the seed's `hosts` and `vars` documents); ask it for a host's
/// flattened variables (``hostVariables(_:)``), for `--list` JSON (``listJSON(limit:)``), or for the hosts a
/// pattern selects (``hosts(matching:)``).
///
/// Variable precedence, lowest first, as Ansible applies it: `all`'s vars; every other group the host is in
/// (directly or through a child group) sorted by depth (the longest path from `all`), then
/// `ansible_group_priority`, then name; then the vars document's `all`, then its groups in the same order
/// (the vars document plays the part of `group_vars/` files next to the inventory, which Ansible applies
/// after every inventory group var); then the host's own vars. Dictionaries are replaced, never merged.
public struct Inventory: Sendable {
    public struct Group: Sendable {
        public var name: String
        /// Variables set in the inventory.
        public var vars: [String: JSONValue] = [:]
        /// Variables from the vars document (`group_vars`); nil when it names this group nowhere.
        public var documentVars: [String: JSONValue]?
        /// `ansible_group_priority`, default 1.
        public var priority: Int = 1
        /// Longest path from `all`.
        public var depth: Int = 0
        public var children: [Int] = []
        public var parents: [Int] = []
        /// Hosts that are members directly, in the order they were added.
        public var hosts: [Int] = []
        var hostSet: Set<Int> = []

        init(name: String) { self.name = name }
    }

    public struct Host: Sendable {
        public var name: String
        /// Variables set on the host itself (with `ansible_port` from `host:port`).
        public var vars: [String: JSONValue] = [:]
        /// Groups the host is a direct member of, in the order it joined them.
        public var groups: [Int] = []

        init(name: String) { self.name = name }
    }

    /// The longest host name accepted, in UTF-8 bytes. Ansible has no limit, but every stored event and
    /// host summary is indexed by host, and an index entry must fit in a PostgreSQL page: a longer name is
    /// refused at upload, with its line and column, rather than failing every event of the host later.
    public static let maximumHostNameBytes = 1024

    public static let allGroup = 0
    public static let ungroupedGroup = 1

    public internal(set) var groups: [Group] = []
    public internal(set) var hosts: [Host] = []
    var groupIndex: [String: Int] = [:]
    var hostIndex: [String: Int] = [:]
    /// Every group's ancestors (transitively), filled by `reconcile()`.
    var ancestors: [Set<Int>] = []

    init() {
        _ = addGroup("all")
        _ = addGroup("ungrouped")
        try! addChild(group: Self.allGroup, childGroup: Self.ungroupedGroup)
    }

    public func group(named name: String) -> Group? { groupIndex[name].map { groups[$0] } }
    public func host(named name: String) -> Host? { hostIndex[name].map { hosts[$0] } }
    public func groupID(named name: String) -> Int? { groupIndex[name] }
    public func hostID(named name: String) -> Int? { hostIndex[name] }

    // MARK: - Building (InventoryData's rules)

    mutating func addGroup(_ name: String) -> Int {
        if let id = groupIndex[name] { return id }
        groupIndex[name] = groups.count
        groups.append(Group(name: name))
        return groups.count - 1
    }

    /// Adds the host if new (setting `ansible_port` only then, as Ansible does), and makes it a member of `group`.
    mutating func addHost(_ name: String, group: Int?, port: Int?) -> Int {
        let id: Int
        if let existing = hostIndex[name] {
            id = existing
        } else {
            id = hosts.count
            hostIndex[name] = id
            var host = Host(name: name)
            if let port, port != 0 { host.vars["ansible_port"] = .int(Int64(port)) }
            hosts.append(host)
        }
        if let group { addMember(group: group, host: id) }
        return id
    }

    mutating func addMember(group: Int, host: Int) {
        if groups[group].hostSet.insert(host).inserted {
            groups[group].hosts.append(host)
            hosts[host].groups.append(group)
        }
    }

    mutating func removeMember(group: Int, host: Int) {
        guard groups[group].hostSet.remove(host) != nil else { return }
        groups[group].hosts.removeAll { $0 == host }
        hosts[host].groups.removeAll { $0 == group }
    }

    enum ChildError: Error {
        case itself
        case loop
    }

    mutating func addChild(group parent: Int, childGroup child: Int) throws(ChildError) {
        if parent == child { throw .itself }
        if groups[parent].children.contains(child) { return }
        if ancestorsNow(of: parent).contains(child) { throw .loop }
        groups[parent].children.append(child)
        if !groups[child].parents.contains(parent) { groups[child].parents.append(parent) }
    }

    func ancestorsNow(of group: Int) -> Set<Int> {
        var seen: Set<Int> = []
        var stack = groups[group].parents
        while let next = stack.popLast() {
            if seen.insert(next).inserted { stack.append(contentsOf: groups[next].parents) }
        }
        return seen
    }

    /// `InventoryData.reconcile_inventory`: parentless groups join `all`; hosts in no group join `ungrouped`;
    /// hosts in another group leave it. Then depths and ancestors.
    mutating func reconcile() throws(InventoryError) {
        for id in groups.indices where id != Self.allGroup && groups[id].parents.isEmpty {
            do {
                try addChild(group: Self.allGroup, childGroup: id)
            } catch {
                throw InventoryError(
                    .cycle, "Adding group '\(groups[id].name)' as child to 'all' creates a recursive dependency loop.",
                    group: groups[id].name)
            }
        }
        ancestors = groups.indices.map { ancestorsNow(of: $0) }
        for id in hosts.indices {
            let memberships = groupsOf(host: id)
            if memberships.contains(Self.ungroupedGroup) {
                if !memberships.subtracting([Self.allGroup, Self.ungroupedGroup]).isEmpty {
                    removeMember(group: Self.ungroupedGroup, host: id)
                }
            } else if memberships.isEmpty || memberships == [Self.allGroup] {
                addMember(group: Self.ungroupedGroup, host: id)
            }
        }
        computeDepths()
    }

    private mutating func computeDepths() {
        var depth = [Int?](repeating: nil, count: groups.count)
        depth[Self.allGroup] = 0
        func resolve(_ id: Int) -> Int {
            if let known = depth[id] { return known }
            // Iterative longest path over parents (the graph has no cycle: addChild refuses them).
            var stack: [Int] = [id]
            while let top = stack.last {
                if depth[top] != nil {
                    stack.removeLast()
                    continue
                }
                let pending = groups[top].parents.filter { depth[$0] == nil }
                if pending.isEmpty {
                    depth[top] = (groups[top].parents.map { depth[$0]! + 1 }.max()) ?? 0
                    stack.removeLast()
                } else {
                    stack.append(contentsOf: pending)
                }
            }
            return depth[id]!
        }
        for id in groups.indices { groups[id].depth = resolve(id) }
    }

    /// Every group the host is in, directly or through child groups, `all` included.
    public func groupsOf(host: Int) -> Set<Int> {
        var result: Set<Int> = []
        for group in hosts[host].groups {
            result.insert(group)
            result.formUnion(ancestors[group])
        }
        return result
    }

    /// Groups sorted as Ansible applies their variables: depth, priority, name.
    func precedenceOrder(_ groupIDs: some Sequence<Int>) -> [Int] {
        groupIDs.filter { $0 != Self.allGroup }.sorted { a, b in
            let ga = groups[a]
            let gb = groups[b]
            if ga.depth != gb.depth { return ga.depth < gb.depth }
            if ga.priority != gb.priority { return ga.priority < gb.priority }
            return PythonJSON.keyOrder(ga.name, gb.name)
        }
    }

    /// The variables every member of exactly these groups gets from its groups (before its own).
    func groupVariables(sortedGroups: [Int]) -> [String: JSONValue] {
        var result = groups[Self.allGroup].vars
        for id in sortedGroups { result.merge(groups[id].vars) { _, new in new } }
        if let document = groups[Self.allGroup].documentVars { result.merge(document) { _, new in new } }
        for id in sortedGroups {
            if let document = groups[id].documentVars { result.merge(document) { _, new in new } }
        }
        return result
    }

    /// A host's variables flattened as `ansible-inventory --list` prints them in `_meta.hostvars`.
    public func hostVariables(_ host: Int) -> [String: JSONValue] {
        var result = groupVariables(sortedGroups: precedenceOrder(groupsOf(host: host)))
        result.merge(hosts[host].vars) { _, new in new }
        return result
    }

    /// `Group.get_hosts()`: the group's own hosts, then its children's, breadth first, each host once.
    public func hostsOf(group: Int) -> [Int] {
        var ordered: [Int] = [group]
        var seen: Set<Int> = [group]
        var level: [Int] = groups[group].children
        for child in level where seen.insert(child).inserted { ordered.append(child) }
        while !level.isEmpty {
            var next: [Int] = []
            for id in level {
                for child in groups[id].children where seen.insert(child).inserted {
                    ordered.append(child)
                    next.append(child)
                }
            }
            level = next
        }
        var result: [Int] = []
        var seenHosts: Set<Int> = []
        for id in ordered {
            for host in groups[id].hosts where seenHosts.insert(host).inserted { result.append(host) }
        }
        return result
    }
}
