import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import Shared

/// `pansible-gateway`: reads the configuration, builds the service group, runs it until SIGTERM/SIGINT.
/// The executable's entry point (`Sources/pansible-gateway/main.swift`) only runs it.
public struct GatewayCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "pansible-gateway")

    @Option(name: .long, help: "Configuration file.")
    var config: String = "./pansible.yml"

    public init() {}

    public func run() async throws {
        do {
            let configuration = try PansibleConfiguration.load(path: config, isDefaultPath: config == "./pansible.yml")
            var logger = Logger(label: "pansible.gateway")
            logger.logLevel = configuration.logLevel
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            let broker = try AMQPClient(configuration: configuration.amqp, connectionName: "pansible-gateway", logger: logger)
            let group = try buildGateway(
                configuration: configuration, logger: logger, registry: registry, publisher: broker, publisherService: broker,
                isPublisherReady: { broker.isConnected },
                readinessChecks: [ClosureReadinessCheck(name: "broker") { broker.isConnected }]
            )
            try await group.run()
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("pansible-gateway: \(error.description)\n".utf8))
            throw ExitCode(78)
        }
    }
}
