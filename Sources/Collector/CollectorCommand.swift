import ArgumentParser
import Logging
import Metrics
import Prometheus
import Shared

/// `pansible-collector`: reads the configuration, builds the service group, runs it until SIGTERM/SIGINT.
@main
struct CollectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pansible-collector")

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
        let messaging = try CollectorMessaging.amqp(configuration: configuration.amqp, logger: logger)
        let group = try buildCollector(configuration: configuration, logger: logger, messaging: messaging, registry: registry)
        try await group.run()
    }
}
