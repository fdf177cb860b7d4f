import ArgumentParser
import Shared

/// `pansible-splitter [serve]`: reads the configuration, builds the service group, runs it until SIGTERM/SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the splitter service (the default).")

    @Option(name: .long, help: "Configuration file.")
    var config: String = ProcessBootstrap.defaultConfigPath

    func run() async throws {
        try await ProcessBootstrap.run(process: "pansible-splitter", configPath: config) { bootstrap in
            let group = try buildSplitter(configuration: bootstrap.configuration, registry: bootstrap.registry, logger: bootstrap.logger)
            try await group.run()
        }
    }
}
