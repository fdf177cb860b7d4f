import Foundation
import Shared
import TestSupport
import Testing

@testable import Worker

/// The broker of `scripts/services.sh` lets a delivery stay unacknowledged longer than any shard may run:
/// past its `consumer_timeout` it would close the worker's channel and the shard would run a second time.
@Suite(.enabled(if: TestServices.available, "needs RabbitMQ (make test)"))
struct BrokerConsumerTimeoutTests {
    /// The longest a shard may run: the ceiling of a job's `timeout` and of `worker.timeout` (7 days), plus
    /// the default grace periods of its stop.
    static let longestShardSeconds = 604_800 + 10 + 5

    @Test func consumerTimeoutOutlastsTheLongestShard() async throws {
        let reply = try await TestServices.runServicesScript(["eval", "application:get_env(rabbit, consumer_timeout)."])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // `undefined`: no timeout at all.
        guard reply != "undefined" else { return }
        let milliseconds = try #require(Int(reply.replacing(#/^\{ok,(\d+)\}$/#) { $0.1 }), "unexpected reply: \(reply)")
        #expect(milliseconds > Self.longestShardSeconds * 1000, "consumer_timeout is \(milliseconds) ms")
        let defaults = try WorkerConfiguration(source: ConfigurationSource(values: [:]))
        #expect(milliseconds > (defaults.timeout + Int(defaults.cancelGrace + defaults.killGrace)) * 1000)
    }
}
