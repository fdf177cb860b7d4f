import Foundation

/// Ansible's per-host recap (`stats.summarize(host)`), as carried by `playbook_on_stats` and `shard_finished`.
public struct HostStats: Codable, Sendable, Equatable {
    public var ok: Int
    public var changed: Int
    public var failures: Int
    public var unreachable: Int
    public var skipped: Int
    public var rescued: Int
    public var ignored: Int

    public init(ok: Int = 0, changed: Int = 0, failures: Int = 0, unreachable: Int = 0, skipped: Int = 0, rescued: Int = 0, ignored: Int = 0) {
        self.ok = ok
        self.changed = changed
        self.failures = failures
        self.unreachable = unreachable
        self.skipped = skipped
        self.rescued = rescued
        self.ignored = ignored
    }

    /// Reads a recap object; missing counters are 0, and Ansible's `failed` is accepted for `failures`.
    public init?(json: JSONValue) {
        guard let object = json.objectValue else { return nil }
        func count(_ key: String) -> Int { Int(object[key]?.intValue ?? 0) }
        self.init(
            ok: count("ok"), changed: count("changed"), failures: Int(object["failures"]?.intValue ?? object["failed"]?.intValue ?? 0),
            unreachable: count("unreachable"), skipped: count("skipped"), rescued: count("rescued"), ignored: count("ignored")
        )
    }

    public var json: JSONValue {
        .object([
            "ok": .int(Int64(ok)), "changed": .int(Int64(changed)), "failures": .int(Int64(failures)), "unreachable": .int(Int64(unreachable)),
            "skipped": .int(Int64(skipped)), "rescued": .int(Int64(rescued)), "ignored": .int(Int64(ignored)),
        ])
    }

    /// Reads `{host: recap}`; entries that are not objects are skipped.
    public static func perHost(_ json: JSONValue?) -> [String: HostStats]? {
        guard let object = json?.objectValue else { return nil }
        var result: [String: HostStats] = [:]
        for (host, value) in object {
            if let stats = HostStats(json: value) { result[host] = stats }
        }
        return result
    }
}

/// `data` of a `job_split` event (id `split`), sent by the splitter once per job.
///
/// ```json
/// {"shard_count": 2, "host_count": 3, "shards": [["a", "b"], ["c"]]}
/// ```
/// `shards[i]` lists the hosts of shard `i`. Readers also accept `shards` as `[{"index": i, "hosts": [...]}]`
/// or `{"i": [...]}`.
public struct JobSplitData: Sendable, Equatable {
    public var shardCount: Int
    public var hostCount: Int
    /// Hosts by shard index.
    public var shards: [Int: [String]]
    /// Why the job may wait, such as a pool with no live worker; shown until a shard starts.
    public var notice: String?

    public init(shardCount: Int, hostCount: Int, shards: [Int: [String]], notice: String? = nil) {
        self.shardCount = shardCount
        self.hostCount = hostCount
        self.shards = shards
        self.notice = notice
    }

    public init?(json: JSONValue?) {
        guard let object = json?.objectValue else { return nil }
        var shards: [Int: [String]] = [:]
        switch object["shards"] {
        case .array(let entries):
            for (position, entry) in entries.enumerated() {
                if let hosts = entry.arrayValue {
                    shards[position] = hosts.compactMap(\.stringValue)
                } else if let item = entry.objectValue {
                    let index = item["index"]?.intValue.map(Int.init) ?? position
                    shards[index] = item["hosts"]?.arrayValue?.compactMap(\.stringValue) ?? []
                }
            }
        case .object(let entries):
            for (key, value) in entries {
                if let index = Int(key) { shards[index] = value.arrayValue?.compactMap(\.stringValue) ?? [] }
            }
        default:
            break
        }
        let shardCount = object["shard_count"]?.intValue.map(Int.init) ?? object["shards"]?.intValue.map(Int.init) ?? shards.count
        guard shardCount >= 0 else { return nil }
        self.shardCount = shardCount
        self.hostCount = object["host_count"]?.intValue.map(Int.init) ?? shards.values.reduce(0) { $0 + $1.count }
        self.shards = shards
        self.notice = object["notice"]?.stringValue
    }

    public var json: JSONValue {
        let list: [JSONValue] = (0..<shardCount).map { index in .array((shards[index] ?? []).map(JSONValue.string)) }
        var object: [String: JSONValue] = ["shard_count": .int(Int64(shardCount)), "host_count": .int(Int64(hostCount)), "shards": .array(list)]
        if let notice { object["notice"] = .string(notice) }
        return .object(object)
    }
}

/// `data` of a `shard_finished` event (id `shard/<i>/run/<run id>/finished`), sent by the worker after
/// `ansible-playbook` exited.
///
/// ```json
/// {"rc": 2, "stats": {"host": {"ok": 1, "failures": 1, ...}}, "duration": 12.5, "attempt": 1, "worker_id": "w1"}
/// ```
public struct ShardFinishedData: Sendable, Equatable {
    public var rc: Int?
    /// The run's recap by host (the same numbers as its `playbook_on_stats`).
    public var stats: [String: HostStats]?
    public var duration: Double?
    public var reason: String?

    public init(rc: Int?, stats: [String: HostStats]?, duration: Double? = nil, reason: String? = nil) {
        self.rc = rc
        self.stats = stats
        self.duration = duration
        self.reason = reason
    }

    public init(json: JSONValue?) {
        self.rc = json?["rc"]?.intValue.map(Int.init)
        self.stats = HostStats.perHost(json?["stats"])
        switch json?["duration"] {
        case .double(let value): self.duration = value
        case .int(let value): self.duration = Double(value)
        default: self.duration = nil
        }
        self.reason = json?["reason"]?.stringValue
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [:]
        if let rc { object["rc"] = .int(Int64(rc)) }
        if let stats { object["stats"] = .object(stats.mapValues(\.json)) }
        if let duration { object["duration"] = .double(duration) }
        if let reason { object["reason"] = .string(reason) }
        return .object(object)
    }
}
