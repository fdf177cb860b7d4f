import ArgumentParser
import Foundation

/// Where the gateway and the collector's live progress are, and the token: flags, else `PANSIBLE_URL`,
/// `PANSIBLE_TOKEN` and `PANSIBLE_WS_URL`.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "The gateway's URL (default: PANSIBLE_URL, else http://127.0.0.1:5757).")
    var url: String?

    @Option(name: .long, help: "The API token (default: PANSIBLE_TOKEN).")
    var token: String?

    @Option(name: .customLong("ws-url"), help: "The collector's WebSocket URL for live progress (default: PANSIBLE_WS_URL).")
    var wsURL: String?

    static let environment = ProcessInfo.processInfo.environment

    func client() throws -> APIClient {
        let base = url ?? Self.environment["PANSIBLE_URL"] ?? "http://127.0.0.1:5757"
        guard let gateway = URL(string: base), gateway.scheme == "http" || gateway.scheme == "https", gateway.host != nil else {
            throw CLIError.usage("the gateway URL '\(base)' is not an http(s) URL")
        }
        guard let token = token ?? Self.environment["PANSIBLE_TOKEN"], !token.isEmpty else {
            throw CLIError.usage("no token: set PANSIBLE_TOKEN or pass --token")
        }
        return APIClient(gateway: gateway, token: token, progress: try progressURL())
    }

    /// `--ws-url` or `PANSIBLE_WS_URL`; nil: ask the gateway.
    private func progressURL() throws -> URL? {
        guard let text = wsURL ?? Self.environment["PANSIBLE_WS_URL"], !text.isEmpty else { return nil }
        guard let url = URL(string: text), url.scheme == "ws" || url.scheme == "wss" else {
            throw CLIError.usage("the progress URL '\(text)' is not a ws(s) URL")
        }
        return url
    }
}
