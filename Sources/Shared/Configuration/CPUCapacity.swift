import Foundation

/// The processors this process may use: its CPU quota (cgroup v2 `cpu.max`, or v1 `cpu.cfs_quota_us` /
/// `cpu.cfs_period_us`) when it has one, else the processors its affinity allows.
///
/// A worker in a container limited to half a core and one on a 16-core machine should not both run two
/// shards at once: `worker.concurrency: auto` takes ``slots`` from here.
public struct CPUCapacity: Sendable, Equatable {
    /// Processors the scheduler lets this process run on.
    public var online: Int
    /// Cores' worth of CPU time the quota grants per period, if a quota is set.
    public var quota: Double?

    public init(online: Int, quota: Double?) {
        self.online = online
        self.quota = quota
    }

    /// Cores' worth of CPU time this process may use.
    public var cores: Double { min(Double(online), quota ?? Double(online)) }

    /// Shards to run at once: the whole cores granted, at least 1.
    public var slots: Int {
        guard let quota else { return max(1, online) }
        return max(1, min(online, Int(quota.rounded(.down))))
    }

    public static func current() -> CPUCapacity {
        CPUCapacity(online: onlineProcessors(), quota: quota(cgroupFile: readText("/proc/self/cgroup"), read: readText))
    }

    /// The quota of the process's own cgroup, from the text of `/proc/self/cgroup`; `read` reads a file.
    static func quota(cgroupFile: String?, read: (String) -> String?) -> Double? {
        guard let cgroupFile else { return nil }
        for line in cgroupFile.split(separator: "\n") {
            // "hierarchy-id:controllers:path"
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let path = String(fields[2])
            if fields[0] == "0", fields[1].isEmpty {
                for root in ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"] {
                    if let text = read("\(root)\(path)/cpu.max"), let quota = parseCPUMax(text) { return quota }
                }
            } else if fields[1].split(separator: ",").contains("cpu") {
                for root in ["/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"] {
                    if let quota = read("\(root)\(path)/cpu.cfs_quota_us").flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
                        let period = read("\(root)\(path)/cpu.cfs_period_us").flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
                    {
                        return quota > 0 && period > 0 ? Double(quota) / Double(period) : nil
                    }
                }
            }
        }
        return nil
    }

    /// `cpu.max`: "max 100000" (no quota) or "25000 100000".
    static func parseCPUMax(_ text: String) -> Double? {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let quota = Double(fields[0]), let period = Double(fields[1]), period > 0 else { return nil }
        return quota / period
    }

    private static func onlineProcessors() -> Int {
        if let status = readText("/proc/self/status"), let count = allowedProcessors(status: status), count > 0 { return count }
        return ProcessInfo.processInfo.activeProcessorCount
    }

    /// Processors in `/proc/self/status`'s `Cpus_allowed_list: 0-3,6`.
    static func allowedProcessors(status: String) -> Int? {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return nil }
        var count = 0
        for part in line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces).split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap { Int($0) }
            switch bounds.count {
            case 1: count += 1
            case 2 where bounds[1] >= bounds[0]: count += bounds[1] - bounds[0] + 1
            default: return nil
            }
        }
        return count
    }

    private static func readText(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
