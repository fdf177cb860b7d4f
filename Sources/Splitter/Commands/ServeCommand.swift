import ArgumentParser
import Logging
import Shared

/// `pansible-splitter [serve]`: reads the configuration, builds the service group, runs it until SIGTERM/SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the splitter service (the default).")

    @Option(name: .long, help: "Configuration file.")
    var config: String = ProcessBootstrap.defaultConfigPath

    func run() async throws {
        let bootstrap: ProcessBootstrap
        do {
            bootstrap = try ProcessBootstrap(configPath: config, label: "pansible.splitter")
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let group = try buildSplitter(configuration: bootstrap.configuration, registry: bootstrap.registry, logger: bootstrap.logger)
        try await group.run()
    }
}
