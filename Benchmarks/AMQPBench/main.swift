// Measures the AMQP client: publish-with-confirms and consume-with-ack rates for persistent messages on a
// fresh durable queue. Used by scripts/bench/10-amqp.sh; prints `publish=<msg/s> consume=<msg/s>`.
//   pansible-bench-amqp [MESSAGES] [BYTES] [quorum|classic]
// The broker: PANSIBLE_AMQP_URL (default amqp://guest:guest@127.0.0.1:5672/).
import Foundation
import Logging
import Shared

let arguments = CommandLine.arguments
let count = arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000
let size = arguments.count > 2 ? Int(arguments[2]) ?? 256 : 256
let quorum = arguments.count > 3 ? arguments[3] != "classic" : true
let url = URL(string: ProcessInfo.processInfo.environment["PANSIBLE_AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5672/")!
var logger = Logger(label: "pansible.bench.amqp")
logger.logLevel = .warning

let client = try AMQPClient(configuration: AMQPConfiguration(url: url), topology: AMQPTopology(), logger: logger)
let queue = "bench.pansible.\(UUID().uuidString.lowercased().prefix(8))"
var definition =
    quorum
    ? AMQPTopology.Queue.quorum(name: queue, deliveryLimit: 5, deadLetterExchange: nil)
    : AMQPTopology.Queue(name: queue, arguments: [AMQPArgument("x-queue-type", .string("classic"))])
definition.arguments.append(AMQPArgument("x-expires", .int(60_000)))
try await client.declare(AMQPTopology(queues: [definition]))

let body = [UInt8](repeating: 0x61, count: size)
let messages = (0..<count).map { OutgoingMessage(exchange: "", routingKey: queue, body: body, messageID: "bench/\($0)") }

let clock = ContinuousClock()
let publishStart = clock.now
try await client.publish(messages)
let publishTime = clock.now - publishStart

let consumeStart = clock.now
let deliveries = try await client.consume(queue: queue, prefetch: 100)
var received = 0
for try await delivery in deliveries {
    try await delivery.ack()
    received += 1
    if received == count { break }
}
let consumeTime = clock.now - consumeStart
await client.shutdown()

func rate(_ duration: Duration) -> Int {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return Int(Double(count) / seconds)
}
print("publish=\(rate(publishTime)) consume=\(rate(consumeTime))")
