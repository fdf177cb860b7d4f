import ArgumentParser
import Foundation
import Logging
import Shared

/// `pansible-worker`: reads the configuration, builds the service group, runs it until SIGTERM/SIGINT.
/// The executable's entry point (`Sources/pansible-worker/main.swift`) only runs it.
public struct WorkerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "pansible-worker")

    @Option(name: .long, help: "Configuration file.")
    var config: String = "./pansible.yml"

    @Option(name: .long, help: "Pool whose shard queue to consume (overrides worker.pool).")
    var pool: String?

    @Option(name: .long, help: "Shards run at once, and the prefetch (overrides worker.concurrency).")
    var concurrency: Int?

    @Option(name: .customLong("shard-file"), help: "Run this one shard (a shard message as JSON), publish its events, print a report and exit.")
    var shardFile: String?

    public init() {}

    public func run() async throws {
        var configuration: PansibleConfiguration
        do {
            var environment = ProcessInfo.processInfo.environment
            if let pool { environment["PANSIBLE_WORKER_POOL"] = pool }
            if let concurrency { environment["PANSIBLE_WORKER_CONCURRENCY"] = String(concurrency) }
            configuration = try PansibleConfiguration.load(path: config, isDefaultPath: config == "./pansible.yml", environment: environment)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        var logger = Logger(label: "pansible.worker")
        logger.logLevel = configuration.logLevel
        if let shardFile {
            let report = try await SingleShardRun.run(path: shardFile, configuration: configuration, logger: logger)
            print(String(decoding: try MessageCoding.encode(report), as: UTF8.self))
            if !report.delivered { throw ExitCode.failure }
            return
        }
        let group = try buildWorker(configuration: configuration, logger: logger)
        try await group.run()
    }
}
