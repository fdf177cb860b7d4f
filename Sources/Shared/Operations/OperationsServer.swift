import Hummingbird
import Logging
import Prometheus

/// The small HTTP server of processes without an API of their own (splitter, worker): health, readiness
/// and metrics on `address`.
public enum OperationsServer {
    public static func make(
        name: String, address: ListenAddress, checks: [any ReadinessCheck], registry: PrometheusCollectorRegistry, logger: Logger,
        onServerRunning: (@Sendable (Int) async -> Void)? = nil
    ) -> some ApplicationProtocol {
        let router = Router()
        router.addOperationsRoutes(checks: checks, registry: registry)
        return Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: name),
            onServerRunning: { channel in await onServerRunning?(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}
