import ArgumentParser
import Logging
import Metrics
import Prometheus
import Shared

/// `pansible-collector [serve]`: reads the configuration, builds the service group, runs it until SIGTERM/SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the collector service (the default).")

    @Option(name: .long, help: "Configuration file.")
    var config: String = "./pansible.yml"

    func run() async throws {
        let configuration: PansibleConfiguration
        do {
            configuration = try PansibleConfiguration.load(path: config, isDefaultPath: config == "./pansible.yml")
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        var logger = Logger(label: "pansible.collector")
        logger.logLevel = configuration.logLevel
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let messaging = try CollectorMessaging.amqp(
            configuration: configuration.amqp, livePrefetch: configuration.collector.livePrefetch, logger: logger)
        let group = try buildCollector(configuration: configuration, logger: logger, messaging: messaging, registry: registry)
        try await group.run()
    }
}
