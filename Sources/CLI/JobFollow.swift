import ArgumentParser
import Foundation

/// Following a job to its end: live progress, then the merged log's recap, then the exit code.
enum JobFollow {
    /// Follows `uuid`; throws the exit code for how it ended (0 successful, 2 hosts failed or unreachable, 1
    /// otherwise).
    static func run(_ uuid: String, client: APIClient) async throws {
        let output = TerminalOutput()
        let ending = try await ProgressFollower(client: client, output: output).follow(uuid)
        let log = try await client.send("GET", "/api/v1/job/\(uuid)/stdout").text
        if let recap = log.range(of: "PLAY RECAP") {
            let start = log[..<recap.lowerBound].lastIndex(of: "\n").map { log.index(after: $0) } ?? recap.lowerBound
            print("")
            print(log[start...].trimmingCharacters(in: .newlines))
        }
        print("job \(uuid) \(ending.status)" + (ending.reason.map { ": \($0)" } ?? ""))
        throw exitCode(status: ending.status, failedHosts: ending.failedHosts)
    }

    static func exitCode(status: String, failedHosts: Int) -> ExitCode {
        switch status {
        case "successful": return .success
        case "failed": return failedHosts > 0 ? .hostsFailed : .failure
        default: return .failure
        }
    }
}
