import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Announces this worker, its slots and how many it runs to the splitters (`pansible.workers`, routing key
/// the pool): every `interval` seconds, and as soon as a shard starts or ends.
///
/// The first heartbeat goes once the shard consumer is in place. Runs until the shard service has finished
/// its shards (it stops after it), then sends a last heartbeat marked `stopping` with nothing running, so
/// splitters stop counting this worker at once.
struct HeartbeatService: Service {
    let publisher: any MessagePublishing
    let workerID: String
    let pool: String
    let slots: Int
    /// The processors the slots follow from (nil: concurrency set by hand).
    let cpuCapacity: CPUCapacity?
    let interval: Double
    let running: RunningShards
    let logger: Logger

    func run() async throws {
        var last: (running: Int, accepting: Bool, stopping: Bool)?
        var lastSentAt = ContinuousClock.now
        let period = Duration.seconds(interval)
        let poll = min(Duration.milliseconds(100), period)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let state = await running.state
            let changed = last.map { $0 != state } ?? true
            if (state.accepting || state.stopping) && (changed || ContinuousClock.now - lastSentAt >= period) {
                await send(running: state.running, stopping: state.stopping)
                last = state
                lastSentAt = .now
            }
            try? await Task.sleep(for: poll)
        }
        await send(running: 0, stopping: true)
    }

    private func send(running: Int, stopping: Bool) async {
        let heartbeat = WorkerHeartbeat(
            workerID: workerID, pool: pool, slots: slots, running: running, interval: interval, stopping: stopping,
            host: ProcessInfo.processInfo.hostName, cpus: cpuCapacity?.cores, machineCPUs: cpuCapacity?.online)
        do {
            let message = OutgoingMessage(
                exchange: Topology.workersExchange, routingKey: pool, body: try MessageCoding.encode(heartbeat),
                messageID: "worker/\(workerID)/heartbeat/\(UUID().uuidString.lowercased())")
            try await publisher.publish(message)
        } catch MessagingError.unroutable {
            // No splitter listens right now: nobody needs the heartbeat.
        } catch {
            logger.debug("heartbeat not sent", metadata: ["error": "\(error)"])
        }
    }
}
