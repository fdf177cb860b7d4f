import Foundation
import Logging

/// Everything a Pansible process reads from `pansible.yml` and `PANSIBLE_*` variables.
///
/// Each process reads the sections it needs; every key has a default that serves a local run, except the
/// secrets a process cannot work without (checked by that process at start).
public struct PansibleConfiguration: Sendable {
    /// `log_level`: trace, debug, info, notice, warning, error or critical. Default `info`.
    public var logLevel: Logger.Level
    public var amqp: AMQPConfiguration
    public var database: DatabaseConfiguration
    public var gateway: GatewayConfiguration
    public var splitter: SplitterConfiguration
    public var worker: WorkerConfiguration
    public var collector: CollectorConfiguration

    public init(source: ConfigurationSource) throws {
        let level = source.string("log_level", default: "info")
        guard let logLevel = Logger.Level(rawValue: level.lowercased()) else {
            throw ConfigurationError(key: "log_level", message: "expected trace, debug, info, notice, warning, error or critical, got '\(level)'")
        }
        self.logLevel = logLevel
        self.amqp = try AMQPConfiguration(source: source)
        self.database = try DatabaseConfiguration(source: source)
        self.gateway = try GatewayConfiguration(source: source)
        self.splitter = try SplitterConfiguration(source: source)
        self.worker = try WorkerConfiguration(source: source)
        self.collector = try CollectorConfiguration(source: source)
    }

    /// Loads the file at `path` (missing is fine for the default path) overlaid with the environment.
    public static func load(path: String, isDefaultPath: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> PansibleConfiguration
    {
        try PansibleConfiguration(source: ConfigurationSource(path: path, environment: environment, required: !isDefaultPath))
    }
}
