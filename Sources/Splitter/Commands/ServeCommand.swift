import ArgumentParser
import Logging
import Shared

/// `pansible-splitter [serve]`: reads the configuration, builds the service group, runs it until SIGTERM/SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the splitter service (the default).")

    @Option(name: .long, help: "Configuration file.")
    var config: String = "./pansible.yml"

    func run() async throws {
        let configuration: PansibleConfiguration
        do {
            configuration = try PansibleConfiguration.load(path: config, isDefaultPath: config == "./pansible.yml")
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        var logger = Logger(label: "pansible.splitter")
        logger.logLevel = configuration.logLevel
        _ = logger
    }
}
