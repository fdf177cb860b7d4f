import Foundation

/// A local git repository holding test playbooks, registered by path as a user's repository would be.
struct PlaybookRepository {
    let url: URL

    init(files: [String: String], in directory: URL) throws {
        url = directory.appendingPathComponent("repo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (path, content) in files {
            let file = url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: file, atomically: true, encoding: .utf8)
        }
        try Self.run("git", ["init", "-q", "-b", "main"], in: url)
        try Self.run("git", ["add", "-A"], in: url)
        try Self.run("git", ["-c", "user.name=test", "-c", "user.email=test@pansible.invalid", "commit", "-qm", "playbooks"], in: url)
    }

    /// Runs a command; returns its standard output (standard error goes to the test's).
    @discardableResult
    static func run(_ command: String, _ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

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
