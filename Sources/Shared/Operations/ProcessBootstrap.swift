import Foundation
import Logging
import Metrics
import Prometheus
import UnixSignals

/// How every Pansible process starts: read the configuration (`pansible.yml` overlaid with `PANSIBLE_*`), make
/// its logger, send swift-metrics to the Prometheus registry its `/metrics` serves, build its service group
/// and run it until SIGTERM or SIGINT. A configuration value that is missing or wrong, found while reading
/// or while building, stops the process with one line on stderr naming the key, and exit code 78.
public struct ProcessBootstrap: Sendable {
    /// The executable's name (`pansible-gateway`): the prefix of its error line.
    public var process: String
    public var configuration: PansibleConfiguration
    /// Labelled `pansible.<process>` (`pansible.gateway`), at `log_level`.
    public var logger: Logger
    /// The registry `/metrics` serves; every metric of the process is reported into it through swift-metrics.
    public var registry: PrometheusCollectorRegistry

    /// `--config`'s default; a missing file is allowed there only.
    public static let defaultConfigPath = "./pansible.yml"
    /// EX_CONFIG (sysexits.h): a configuration value is missing or wrong.
    public static let configurationExitCode: Int32 = 78
    /// The signals on which every process shuts down gracefully.
    public static let shutdownSignals: [UnixSignal] = [.sigterm, .sigint]

    /// Reads the configuration and makes the logger and the registry; touches no global state.
    /// - Throws: `ConfigurationError`.
    public init(process: String, configPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.process = process
        configuration = try PansibleConfiguration.load(
            path: configPath, isDefaultPath: configPath == Self.defaultConfigPath, environment: environment)
        var logger = Logger(label: process.replacingOccurrences(of: "-", with: "."))
        logger.logLevel = configuration.logLevel
        self.logger = logger
        registry = PrometheusCollectorRegistry()
    }

    /// The line a process prints on stderr before it exits with `configurationExitCode`.
    public static func errorLine(process: String, error: ConfigurationError) -> String {
        "\(process): \(error.description)"
    }

    /// The entry of every process's command: reads the configuration, makes swift-metrics report into the
    /// bootstrap's registry, then hands over to `body`, which builds the process and runs it. A
    /// `ConfigurationError` thrown by either prints `errorLine` on stderr and exits with 78; any other error
    /// is the caller's.
    public static func run(
        process: String, configPath: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        _ body: (ProcessBootstrap) async throws -> Void
    ) async throws {
        do {
            let bootstrap = try ProcessBootstrap(process: process, configPath: configPath, environment: environment)
            MetricsSystem.bootstrap(bootstrap.registry.metricsFactory)
            try await body(bootstrap)
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data((errorLine(process: process, error: error) + "\n").utf8))
            exit(configurationExitCode)
        }
    }
}
