import Foundation

/// Per-host counters of Ansible's PLAY RECAP.
struct RecapStats: Equatable, CustomStringConvertible {
    var ok = 0, changed = 0, unreachable = 0, failed = 0, skipped = 0, rescued = 0, ignored = 0

    var description: String {
        "ok=\(ok) changed=\(changed) unreachable=\(unreachable) failed=\(failed) skipped=\(skipped) rescued=\(rescued) ignored=\(ignored)"
    }

    /// Parses every `host : ok=N changed=N …` line of a PLAY RECAP.
    static func parse(recapOf output: String) -> [String: RecapStats] {
        var stats: [String: RecapStats] = [:]
        for line in output.split(separator: "\n") where line.contains(" ok=") && line.contains(" changed=") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let host = parts[0].trimmingCharacters(in: .whitespaces)
            var recap = RecapStats()
            for field in parts[1].split(separator: " ") {
                let pair = field.split(separator: "=")
                guard pair.count == 2, let value = Int(pair[1]) else { continue }
                switch pair[0] {
                case "ok": recap.ok = value
                case "changed": recap.changed = value
                case "unreachable": recap.unreachable = value
                case "failed": recap.failed = value
                case "skipped": recap.skipped = value
                case "rescued": recap.rescued = value
                case "ignored": recap.ignored = value
                default: break
                }
            }
            stats[host] = recap
        }
        return stats
    }
}
