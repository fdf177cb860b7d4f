import Foundation
import Testing

@testable import Shared

@Suite struct AMQPEndpointTests {
    @Test(arguments: [
        ("amqp://guest:guest@127.0.0.1:5672/", "127.0.0.1", 5672, "guest", "guest", "/", false),
        ("amqp://localhost", "localhost", 5672, "guest", "guest", "/", false),
        ("amqps://user:p%40ss@broker.example:5671/%2Fprod", "broker.example", 5671, "user", "p@ss", "/prod", true),
        ("amqps://broker.example/staging", "broker.example", 5671, "guest", "guest", "staging", true),
        ("amqp://a:b@[::1]:5999/v%20h", "::1", 5999, "a", "b", "v h", false),
    ])
    func parsesURL(url: String, host: String, port: Int, user: String, password: String, vhost: String, tls: Bool) throws {
        let endpoint = try AMQPEndpoint(url: URL(string: url)!)
        #expect(endpoint.host == host)
        #expect(endpoint.port == port)
        #expect(endpoint.user == user)
        #expect(endpoint.password == password)
        #expect(endpoint.vhost == vhost)
        #expect(endpoint.tls == tls)
    }

    @Test func rejectsOtherSchemesWithoutTheirPassword() throws {
        #expect {
            try AMQPEndpoint(url: URL(string: "http://user:secret@host/")!)
        } throws: { error in
            "\(error)".contains("amqp.url") && !"\(error)".contains("secret")
        }
    }

    @Test func pansibleTopologyHasAQueuePerPoolWithLimits() {
        let topology = AMQPTopology.pansible(pools: ["dc1", "default", "dc1"], deliveryLimit: 7)
        let names = topology.queues.map(\.name)
        #expect(names.filter { $0.hasPrefix("pansible.shards.") }.sorted() == ["pansible.shards.dc1", "pansible.shards.default"])
        for queue in topology.queues where ![Topology.deadLetterQueue, Topology.ledgerQueue].contains(queue.name) {
            #expect(queue.arguments.contains(AMQPArgument("x-delivery-limit", .int(7))))
            #expect(queue.arguments.contains(AMQPArgument("x-dead-letter-exchange", .string(Topology.deadLetterExchange))))
            #expect(queue.arguments.contains(AMQPArgument("x-overflow", .string("reject-publish"))))
            #expect(queue.arguments.contains(AMQPArgument("x-queue-type", .string("quorum"))))
        }
        #expect(topology.bindings.contains(AMQPTopology.Binding(queue: "pansible.shards.dc1", exchange: "pansible.shards", key: "dc1")))
        #expect(topology.bindings.contains(AMQPTopology.Binding(queue: "pansible.events", exchange: "pansible.events", key: "job.#")))
        // The ledger: a stream with a retention, fed by the control and ledger exchanges.
        let ledger = try? #require(topology.queues.first { $0.name == Topology.ledgerQueue })
        #expect(ledger?.arguments.contains(AMQPArgument("x-queue-type", .string("stream"))) == true)
        #expect(ledger?.arguments.contains(AMQPArgument("x-max-age", .string("7D"))) == true)
        #expect(topology.bindings.contains(AMQPTopology.Binding(queue: Topology.ledgerQueue, exchange: Topology.controlExchange, key: "")))
        #expect(topology.bindings.contains(AMQPTopology.Binding(queue: Topology.ledgerQueue, exchange: Topology.ledgerExchange, key: "")))
    }

    @Test func ledgerMaxAgeIsReadAndChecked() throws {
        #expect(try AMQPConfiguration(source: ConfigurationSource(values: [:])).ledgerMaxAge == "7D")
        #expect(try AMQPConfiguration(source: ConfigurationSource(values: ["amqp.ledger_max_age": "36h"])).ledgerMaxAge == "36h")
        #expect(throws: ConfigurationError.self) { try AMQPConfiguration(source: ConfigurationSource(values: ["amqp.ledger_max_age": "a week"])) }
    }
}
