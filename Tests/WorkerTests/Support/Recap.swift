import Foundation
import Shared

/// Per-host counts, as Ansible's PLAY RECAP and stats print them.
struct HostCounts: Equatable, CustomStringConvertible {
    var ok = 0, changed = 0, unreachable = 0, failures = 0, skipped = 0, rescued = 0, ignored = 0

    var description: String {
        "ok=\(ok) changed=\(changed) unreachable=\(unreachable) failed=\(failures) skipped=\(skipped) rescued=\(rescued) ignored=\(ignored)"
    }

    /// Parses the PLAY RECAP section of Ansible's output.
    static func recap(from output: String) -> [String: HostCounts] {
        guard let start = output.range(of: "PLAY RECAP") else { return [:] }
        var result: [String: HostCounts] = [:]
        for line in output[start.upperBound...].split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            var counts = HostCounts()
            var fields = 0
            for pair in parts[1].split(separator: " ") {
                let kv = pair.split(separator: "=")
                guard kv.count == 2, let value = Int(kv[1]) else { continue }
                fields += 1
                switch kv[0] {
                case "ok": counts.ok = value
                case "changed": counts.changed = value
                case "unreachable": counts.unreachable = value
                case "failed": counts.failures = value
                case "skipped": counts.skipped = value
                case "rescued": counts.rescued = value
                case "ignored": counts.ignored = value
                default: break
                }
            }
            if fields == 7 { result[parts[0].trimmingCharacters(in: .whitespaces)] = counts }
        }
        return result
    }

    /// The `playbook_on_stats` event's `data.stats`.
    static func stats(from value: JSONValue?) -> [String: HostCounts] {
        var result: [String: HostCounts] = [:]
        for (host, entry) in value?.objectValue ?? [:] {
            func number(_ key: String) -> Int { Int(entry[key]?.intValue ?? -1) }
            result[host] = HostCounts(
                ok: number("ok"), changed: number("changed"), unreachable: number("unreachable"), failures: number("failures"),
                skipped: number("skipped"), rescued: number("rescued"), ignored: number("ignored"))
        }
        return result
    }

    /// Folds runner events into counts the way Ansible's stats count them; `rescued` comes from the stats
    /// (a rescued failure is a failed event that the block's rescue later discounts).
    static func fold(_ events: [PansibleEvent], rescued: [String: Int]) -> [String: HostCounts] {
        var result: [String: HostCounts] = [:]
        for event in events {
            guard let host = event.host else { continue }
            var counts = result[host] ?? HostCounts()
            let changed = event.result?["changed"]?.boolValue == true
            switch event.type {
            case "runner_on_ok":
                counts.ok += 1
                if changed { counts.changed += 1 }
            case "runner_on_failed":
                if event.ignoreErrors == true {
                    counts.ignored += 1
                    counts.ok += 1
                    if changed { counts.changed += 1 }
                } else {
                    counts.failures += 1
                }
            case "runner_on_skipped": counts.skipped += 1
            case "runner_on_unreachable": counts.unreachable += 1
            default: break
            }
            result[host] = counts
        }
        for (host, count) in rescued where count > 0 {
            result[host, default: HostCounts()].rescued = count
            result[host, default: HostCounts()].failures -= count
        }
        return result
    }
}
