import Foundation
import Logging
import Shared

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `pansible-worker --shard-file FILE`: runs one shard (a `ShardMessage` JSON document) with this worker's
/// configuration, publishing its events to the broker like a consumed shard, then reports what happened
/// and the worker's own CPU time (Ansible's processes excluded). For operators replaying a shard, and for
/// the worker benchmark.
enum SingleShardRun {
    struct Report: Codable, Sendable {
        var finalEvent: String
        var exitCode: Int32?
        var events: Int
        var delivered: Bool
        var wallSeconds: Double
        var workerCPUSeconds: Double

        enum CodingKeys: String, CodingKey {
            case events, delivered
            case finalEvent = "final_event"
            case exitCode = "rc"
            case wallSeconds = "wall_seconds"
            case workerCPUSeconds = "worker_cpu_seconds"
        }
    }

    static func run(path: String, configuration: PansibleConfiguration, logger: Logger) async throws -> Report {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(key: "--shard-file", message: "cannot read \(path): \(error.localizedDescription)")
        }
        let shard: ShardMessage
        do {
            shard = try MessageCoding.decode(ShardMessage.self, from: data)
        } catch {
            throw ConfigurationError(key: "--shard-file", message: "\(path) is not a shard message: \(error)")
        }
        let client = try AMQPClient(
            configuration: configuration.amqp,
            topology: .pansible(pools: [shard.pool], deliveryLimit: configuration.amqp.deliveryLimit, ledgerMaxAge: configuration.amqp.ledgerMaxAge),
            connectionName: "pansible-worker \(configuration.worker.workerID) (shard file)", logger: logger)
        let runner = try makeShardRunner(configuration: configuration, logger: logger, publisher: client, registry: CancellationRegistry())
        let started = ContinuousClock.now
        let outcome = await runner.run(shard, attempt: 1)
        let wall = ContinuousClock.now - started
        await client.shutdown()
        return Report(
            finalEvent: outcome.finalEvent, exitCode: outcome.exitCode, events: outcome.eventCount, delivered: outcome.delivered,
            wallSeconds: Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18, workerCPUSeconds: ownCPUSeconds())
    }

    /// User and system CPU of this process only: waited-for children count under RUSAGE_CHILDREN.
    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
