import Foundation

/// The gateway's keys (top level, as in the original `pansible.yml`).
public struct GatewayConfiguration: Sendable {
    /// `port`: where the REST API listens (`PANSIBLE_PORT=:5757` listens on every interface). Default 127.0.0.1:5757.
    public var address: ListenAddress
    /// `admin_token`: the bearer token with every right. Required by the gateway. Never logged.
    public var adminToken: String?
    /// `secret_key`: base64 of 32 bytes; encrypts credentials at rest. Required by the gateway and by workers
    /// running jobs with credentials. Never logged.
    public var secretKey: String?
    /// `max_body_size`: largest request body. Default 10MiB.
    public var maxBodySize: Int
    /// `job_deadline`: seconds from acceptance within which every job ends, unless it sets its own `deadline`;
    /// past it the collector ends the job `error`. Default 86400 (a day).
    public var jobDeadline: Int
    /// `progress_url`: the collector's WebSocket address as clients reach it (`ws://pansible.example:5858`); the
    /// gateway shows each job's live progress address from it. Default: from `ws_port` when that names a host.
    public var progressURL: String?
    /// `public_url`: the gateway's address as clients reach it (`https://pansible.example`), for the links in
    /// webhook deliveries. Default: `http://` and `port` when that names a host, else `http://127.0.0.1:PORT`.
    public var publicURL: String

    public init(source: ConfigurationSource) throws {
        self.address = try source.address("port", default: ListenAddress(host: "127.0.0.1", port: 5757))
        self.adminToken = source.string("admin_token").flatMap { $0.isEmpty ? nil : $0 }
        self.secretKey = source.string("secret_key").flatMap { $0.isEmpty ? nil : $0 }
        self.maxBodySize = try source.byteSize("max_body_size", default: 10 << 20)
        self.jobDeadline = try source.int("job_deadline", default: 86_400, range: 60...2_592_000)
        if let text = source.string("progress_url").flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let url = URL(string: text), url.scheme == "ws" || url.scheme == "wss", url.host != nil else {
                throw ConfigurationError(key: "progress_url", message: "expected a ws:// or wss:// URL, got '\(text)'")
            }
            self.progressURL = text.hasSuffix("/") ? String(text.dropLast()) : text
        }
        if let text = source.string("public_url").flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ConfigurationError(key: "public_url", message: "expected an http:// or https:// URL, got '\(text)'")
            }
            self.publicURL = text.hasSuffix("/") ? String(text.dropLast()) : text
        } else {
            self.publicURL = address.url(scheme: "http") ?? "http://127.0.0.1:\(address.port)"
        }
    }
}
