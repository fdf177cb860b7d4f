import Foundation
import HummingbirdWSClient
import Logging

/// Follows a job's live progress from the collector (`/api/v1/job/progress/{uuid}`, replayed from the start)
/// until `job_finished`, and shows it: on a terminal one line redrawn in place (a bar of hosts done over the
/// total, ok/changed/failed/unreachable counts, the current task), elsewhere plain lines; failed and unreachable
/// hosts are printed as they fail.
struct ProgressFollower {
    let client: APIClient
    let output: TerminalOutput

    /// How the job ended.
    struct Ending {
        var status: String
        var reason: String?
        var failedHosts: Int
    }

    /// What the stream has shown so far (one subscription at a time; replays are deduplicated by event id).
    final class State: @unchecked Sendable {
        // @unchecked: only the WebSocket handler's task touches it, one message at a time.
        var seen: Set<String> = []
        var totalHosts: Int?
        var stats: [String: [String: Any]] = [:]
        var task: String?
        /// Hosts with a result for each task (by name, over every shard).
        var taskHosts: [String: Set<String>] = [:]
        var reported: Set<String> = []
        var ending: Ending?
    }

    func follow(_ uuid: String) async throws -> Ending {
        let state = State()
        let url = try await progressURL(uuid)
        var attempts = 0
        while state.ending == nil {
            attempts += 1
            do {
                try await subscribe(url: url, state: state)
            } catch {
                if attempts >= 5 { throw CLIError.connection("live progress at \(Self.withoutToken(url)) failed: \(error)") }
            }
            if state.ending == nil {
                // The collector closed the stream (it restarted, or this client lagged): it replays from the start.
                try await Task.sleep(for: .seconds(1))
            }
        }
        output.finishLine()
        return state.ending!
    }

    /// The job's progress address: under `--ws-url` / `PANSIBLE_WS_URL` when given, else the one the gateway
    /// shows (`progress_url`), else the gateway's host on the collector's default port 5858; with the token.
    private func progressURL(_ uuid: String) async throws -> String {
        var components: URLComponents
        if let base = client.progress {
            components = URLComponents(url: base, resolvingAgainstBaseURL: false)!
            components.path = "/api/v1/job/progress/\(uuid)"
        } else if let shown = try await client.object("GET", "/api/v1/job/\(uuid)")["progress_url"] as? String,
            let url = URLComponents(string: shown)
        {
            components = url
        } else {
            components = URLComponents()
            components.scheme = client.gateway.scheme == "https" ? "wss" : "ws"
            components.host = client.gateway.host
            components.port = 5858
            components.path = "/api/v1/job/progress/\(uuid)"
        }
        components.queryItems = [URLQueryItem(name: "token", value: client.token)]
        return components.url!.absoluteString
    }

    private static func withoutToken(_ url: String) -> String {
        url.components(separatedBy: "?").first ?? url
    }

    private func subscribe(url: String, state: State) async throws {
        var logger = Logger(label: "pansible.progress")
        logger.logLevel = .critical
        let output = self.output
        _ = try await WebSocketClient.connect(
            url: url, configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 24), logger: logger
        ) { inbound, _, _ in
            for try await message in inbound.messages(maxSize: 1 << 26) {
                guard case .text(let text) = message,
                    let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                else { continue }
                Self.apply(object, to: state, output: output)
                if state.ending != nil { return }
            }
        }
    }

    static func apply(_ message: [String: Any], to state: State, output: TerminalOutput) {
        let type = message["type"] as? String ?? ""
        if type == "job_finished" {
            let recap = message["recap"] as? [String: [String: Any]] ?? [:]
            let failed = recap.values.filter { ($0["failures"] as? Int ?? 0) > 0 || ($0["unreachable"] as? Int ?? 0) > 0 }.count
            state.ending = Ending(status: message["status"] as? String ?? "unknown", reason: message["reason"] as? String, failedHosts: failed)
            return
        }
        if type == "lagging" || type == "token_revoked" {
            return
        }
        if let id = message["id"] as? String, !state.seen.insert(id).inserted { return }
        let event = message["event"] as? String ?? type
        let data = message["data"] as? [String: Any]
        switch event {
        case "job_split":
            state.totalHosts = data?["host_count"] as? Int
        case "playbook_on_task_start":
            if let task = message["task"] as? String, task != state.task {
                state.task = task
                output.note("task: \(task)")
            }
        case "runner_on_ok", "runner_on_skipped":
            if let host = message["target"] as? String, let task = message["task"] as? String { state.taskHosts[task, default: []].insert(host) }
        case "runner_on_failed", "runner_on_unreachable":
            let host = message["target"] as? String ?? "?"
            if let task = message["task"] as? String { state.taskHosts[task, default: []].insert(host) }
            let ignored = (message["result"] as? [String: Any])?["_ansible_ignore_errors"] as? Bool ?? false
            if !ignored, state.reported.insert(host).inserted {
                let result = message["result"] as? [String: Any]
                let detail = (result?["msg"] as? String).map { ": \($0)" } ?? ""
                let what = event == "runner_on_unreachable" ? "UNREACHABLE" : "FAILED"
                output.note("\(what) \(host) (\(message["task"] as? String ?? state.task ?? "?"))\(detail.prefix(200))")
            }
        case "playbook_on_stats":
            for (host, stats) in data?["stats"] as? [String: [String: Any]] ?? [:] { state.stats[host] = stats }
        default:
            break
        }
        output.status(line(state))
    }

    /// `[#####.....] 40/100 hosts  ok=38 changed=12 failed=1 unreachable=1  task=name (57 hosts)`: the bar and
    /// counts are the hosts whose shard has finished; the task's count, the hosts with a result for it so far.
    static func line(_ state: State) -> String {
        let done = state.stats.count
        let failed = state.stats.values.filter { ($0["failures"] as? Int ?? 0) > 0 }.count
        let unreachable = state.stats.values.filter { ($0["unreachable"] as? Int ?? 0) > 0 }.count
        let changed = state.stats.values.filter { ($0["changed"] as? Int ?? 0) > 0 }.count
        let ok = done - failed - unreachable
        var bar = ""
        if let total = state.totalHosts, total > 0 {
            let width = 30
            let filled = min(width, done * width / total)
            bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total) hosts  "
        } else {
            bar = "\(done) hosts done  "
        }
        return bar + "ok=\(ok) changed=\(changed) failed=\(failed) unreachable=\(unreachable)"
            + (state.task.map { "  task=\($0) (\(state.taskHosts[$0]?.count ?? 0) hosts)" } ?? "")
    }
}
