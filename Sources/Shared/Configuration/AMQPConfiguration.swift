import Foundation

/// The `amqp` section: the RabbitMQ connection and the topology's limits.
public struct AMQPConfiguration: Sendable {
    /// `amqp.url`: `amqp://USER:PASSWORD@HOST[:PORT]/[VHOST]` or `amqps://…` for TLS.
    public var url: URL
    /// `amqp.heartbeat`: seconds between heartbeats; 0 turns them off. Default 30.
    public var heartbeat: Int
    /// `amqp.confirm_window`: unconfirmed publishes in flight per connection. Default 500.
    public var confirmWindow: Int
    /// `amqp.delivery_limit`: deliveries of one message before it is dead-lettered. Default 5.
    public var deliveryLimit: Int
    /// `amqp.tls_ca_file`: CA bundle for `amqps://`; empty uses the system's.
    public var tlsCAFile: String?
    /// `amqp.tls_verify`: verify the broker's certificate and host name. Default true.
    public var tlsVerify: Bool
    /// `amqp.reconnect_max_delay`: longest wait in seconds between reconnection attempts (the wait doubles from
    /// 0.1 s up to this). Default 10.
    public var reconnectMaxDelay: Double
    /// `amqp.ledger_max_age`: how long the `pansible.ledger` stream keeps cancels, claims and splits (a
    /// RabbitMQ interval: `7D`, `36h`, `90m`). Every process must use the same value: a stream cannot be
    /// re-declared with another (change it on a running broker with a policy instead). Default `7D`.
    public var ledgerMaxAge: String = Topology.defaultLedgerMaxAge

    public init(source: ConfigurationSource) throws {
        self.url = try source.url("amqp.url", default: "amqp://guest:guest@127.0.0.1:5672/", schemes: ["amqp", "amqps"])
        self.heartbeat = try source.int("amqp.heartbeat", default: 30, range: 0...3600)
        self.confirmWindow = try source.int("amqp.confirm_window", default: 500, range: 1...65535)
        self.deliveryLimit = try source.int("amqp.delivery_limit", default: 5, range: 1...1000)
        self.tlsCAFile = source.string("amqp.tls_ca_file").flatMap { $0.isEmpty ? nil : $0 }
        self.tlsVerify = try source.bool("amqp.tls_verify", default: true)
        self.reconnectMaxDelay = try source.double("amqp.reconnect_max_delay", default: 10, minimum: 0.1)
        let maxAge = source.string("amqp.ledger_max_age", default: Topology.defaultLedgerMaxAge).trimmingCharacters(in: .whitespaces)
        guard maxAge.range(of: #"^[1-9][0-9]*(Y|M|D|h|m|s)$"#, options: .regularExpression) != nil else {
            throw ConfigurationError(key: "amqp.ledger_max_age", message: "expected a number and one of Y, M, D, h, m, s (e.g. 7D), got '\(maxAge)'")
        }
        self.ledgerMaxAge = maxAge
    }

    public init(
        url: URL, heartbeat: Int = 30, confirmWindow: Int = 500, deliveryLimit: Int = 5, tlsCAFile: String? = nil,
        tlsVerify: Bool = true, reconnectMaxDelay: Double = 10
    ) {
        self.url = url
        self.heartbeat = heartbeat
        self.confirmWindow = confirmWindow
        self.deliveryLimit = deliveryLimit
        self.tlsCAFile = tlsCAFile
        self.tlsVerify = tlsVerify
        self.reconnectMaxDelay = reconnectMaxDelay
    }
}
