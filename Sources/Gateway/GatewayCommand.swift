import ArgumentParser
import Shared

/// `pansible-gateway`: reads the configuration, builds the service group, runs it until SIGTERM/SIGINT.
/// The executable's entry point (`Sources/pansible-gateway/`) only runs it.
public struct GatewayCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "pansible-gateway")

    @Option(name: .long, help: "Configuration file.")
    var config: String = ProcessBootstrap.defaultConfigPath

    public init() {}

    public func run() async throws {
        try await ProcessBootstrap.run(process: "pansible-gateway", configPath: config) { bootstrap in
            // Checked before the broker client starts connecting (and logging).
            _ = try GatewayKeys(bootstrap.configuration.gateway)
            let broker = try AMQPClient(configuration: bootstrap.configuration.amqp, connectionName: "pansible-gateway", logger: bootstrap.logger)
            let group = try buildGateway(
                configuration: bootstrap.configuration, logger: bootstrap.logger, registry: bootstrap.registry, publisher: broker,
                publisherService: broker, isPublisherReady: { broker.isConnected },
                readinessChecks: [ClosureReadinessCheck(name: "broker") { broker.isConnected }]
            )
            try await group.run()
        }
    }
}
