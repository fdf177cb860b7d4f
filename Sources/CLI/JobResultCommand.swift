import ArgumentParser
import Foundation

/// `pansible job result UUID`: per-host results; a table, or the API's JSON with `--json`.
struct JobResultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "result", abstract: "Show a job's per-host results.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The job's uuid.") var uuid: String
    @Flag(help: "The API's JSON.") var json = false

    func run() async throws {
        let answer = try await connection.client().send("GET", "/api/v1/job/result/\(uuid.lowercased())")
        if json { return print(answer.prettyJSON) }
        let result = try answer.object()
        print(
            Table.render(
                header: ["HOST", "OK", "CHANGED", "FAILED", "UNREACHABLE", "SKIPPED"],
                rows: result.keys.sorted().map { host in
                    let stats = (result[host] as? [String: Any])?["stats"] as? [String: Any]
                    func count(_ key: String) -> String { stats.map { "\($0[key] as? Int ?? 0)" } ?? "-" }
                    let unreachable = stats.map { ($0["unreachable"] as? Bool ?? false) ? "yes" : "no" } ?? "-"
                    return [host, count("ok"), count("changed"), count("failed"), unreachable, count("skipped")]
                }))
    }
}
