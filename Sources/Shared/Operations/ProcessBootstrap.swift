import Logging
import Metrics
import Prometheus

/// What every Pansible process does first: read the configuration, make its logger, and send swift-metrics
/// to a Prometheus registry for `/metrics`. Called once per process, by its command.
public struct ProcessBootstrap: Sendable {
    public var configuration: PansibleConfiguration
    public var logger: Logger
    public var registry: PrometheusCollectorRegistry

    /// - Throws: `ConfigurationError`, whose description is the one line to print.
    public init(configPath: String, label: String) throws {
        configuration = try PansibleConfiguration.load(path: configPath, isDefaultPath: configPath == Self.defaultConfigPath)
        var logger = Logger(label: label)
        logger.logLevel = configuration.logLevel
        self.logger = logger
        registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    public static let defaultConfigPath = "./pansible.yml"
}
