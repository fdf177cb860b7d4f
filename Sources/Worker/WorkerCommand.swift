import ArgumentParser
import Foundation
import Shared

/// `pansible-worker`: reads the configuration, builds the service group, runs it until SIGTERM/SIGINT (or runs one
/// shard, `--shard-file`).
/// The executable's entry point (`Sources/pansible-worker/`) only runs it.
public struct WorkerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "pansible-worker")

    @Option(name: .long, help: "Configuration file.")
    var config: String = ProcessBootstrap.defaultConfigPath

    @Option(name: .long, help: "Pool whose shard queue to consume (overrides worker.pool).")
    var pool: String?

    @Option(name: .long, help: "Shards run at once, and the prefetch (overrides worker.concurrency).")
    var concurrency: Int?

    @Option(name: .customLong("shard-file"), help: "Run this one shard (a shard message as JSON), publish its events, print a report and exit.")
    var shardFile: String?

    public init() {}

    public func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if let pool { environment["PANSIBLE_WORKER_POOL"] = pool }
        if let concurrency { environment["PANSIBLE_WORKER_CONCURRENCY"] = String(concurrency) }
        try await ProcessBootstrap.run(process: "pansible-worker", configPath: config, environment: environment) { bootstrap in
            var configuration = bootstrap.configuration
            // The configuration file may hold secrets: a sandboxed run must not read it.
            configuration.worker.sandboxHide.append(config)
            try await RunIsolation.verify(configuration: configuration.worker)
            if let shardFile {
                let report = try await SingleShardRun.run(path: shardFile, configuration: configuration, logger: bootstrap.logger)
                print(String(decoding: try MessageCoding.encode(report), as: UTF8.self))
                if !report.delivered { throw ExitCode.failure }
                return
            }
            let group = try buildWorker(configuration: configuration, logger: bootstrap.logger, registry: bootstrap.registry)
            try await group.run()
        }
    }
}
