import ArgumentParser
import Shared

/// `pansible-collector [serve]`: reads the configuration, builds the service group, runs it until SIGTERM/SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the collector service (the default).")

    @Option(name: .long, help: "Configuration file.")
    var config: String = ProcessBootstrap.defaultConfigPath

    func run() async throws {
        try await ProcessBootstrap.run(process: "pansible-collector", configPath: config) { bootstrap in
            let configuration = bootstrap.configuration
            let messaging = try CollectorMessaging.amqp(
                configuration: configuration.amqp, livePrefetch: configuration.collector.livePrefetch, logger: bootstrap.logger)
            let group = try buildCollector(configuration: configuration, logger: bootstrap.logger, messaging: messaging, registry: bootstrap.registry)
            try await group.run()
        }
    }
}
