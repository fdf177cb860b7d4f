import Foundation

/// Where and as whom to connect, parsed from an `amqp://` or `amqps://` URL.
struct AMQPEndpoint: Sendable, Equatable {
    var host: String
    var port: Int
    var user: String
    var password: String
    /// Percent-decoded; `/` when the URL has no path or only `/`.
    var vhost: String
    var tls: Bool

    init(url: URL) throws {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            let scheme = components.scheme?.lowercased(), scheme == "amqp" || scheme == "amqps"
        else {
            throw MessagingError.broker("amqp.url: expected amqp:// or amqps://, got '\(URLRedaction.redact(url.absoluteString))'")
        }
        self.tls = scheme == "amqps"
        var host = components.host ?? ""
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "localhost" : host
        self.port = components.port ?? (tls ? 5671 : 5672)
        self.user = components.user ?? "guest"
        self.password = components.password ?? "guest"
        let path = components.percentEncodedPath
        if path.isEmpty || path == "/" {
            self.vhost = "/"
        } else {
            let encoded = path.hasPrefix("/") ? String(path.dropFirst()) : path
            guard let decoded = encoded.removingPercentEncoding else {
                throw MessagingError.broker("amqp.url: the vhost '\(encoded)' is not valid percent-encoding")
            }
            self.vhost = decoded
        }
    }
}
