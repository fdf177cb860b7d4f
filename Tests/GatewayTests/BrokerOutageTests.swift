import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Gateway

/// A job answered 201 while the broker is unreachable reaches the broker once it is, exactly once.
///
/// The shared test broker is not stopped (other suites use it at the same time): the first gateway's broker
/// client points at a closed port, which is what a stopped broker looks like to it; then a gateway on the same
/// database with a client on the real broker, in a private virtual host, relays the stored message.
@Suite(.enabled(if: TestServices.available))
struct BrokerOutageTests {
    @Test func aJobAcceptedWhileTheBrokerIsDownArrivesOnce() async throws {
        var logger = Logger(label: "test.outage")
        logger.logLevel = .error
        let vhostURL = try await TestServices.createVirtualHost()
        defer { TestServices.deleteVirtualHost(url: vhostURL) }
        var closed = URLComponents(string: vhostURL)!
        closed.port = TestServices.freePort()
        let database = try await TestServices.createDatabase()
        defer { Task { try? await TestServices.dropDatabase(database.name) } }

        // 1. The broker is down: the launch is accepted and kept in the outbox.
        let downConfiguration = try GatewayTestApp.configuration(databaseURL: database.url, extra: ["amqp.url": closed.string!])
        let down = try AMQPClient(configuration: downConfiguration.amqp, logger: logger)
        let downApp = try buildApplication(
            configuration: downConfiguration, logger: logger, publisher: down, isPublisherReady: { down.isConnected }
        )
        let uuid: String = try await downApp.test(.router) { client in
            let fixtures = Fixtures(client: client)
            let job = try await fixtures.job(playbook: try await fixtures.playbook(), inventory: try await fixtures.inventory())
            #expect(job.status == .created)
            try await Task.sleep(for: .seconds(1))
            return try #require(job.json["uuid"]?.stringValue)
        }
        await down.shutdown()
        try await TestServices.withPostgresClient(url: database.url) { postgres in
            let pending = try await postgres.query("SELECT count(*) FROM outbox WHERE published_at IS NULL").decode(Int64.self).first { _ in true }
            #expect(pending == 1)
        }

        // 2. The broker is back: the stored message is published, once.
        let upConfiguration = try GatewayTestApp.configuration(databaseURL: database.url, extra: ["amqp.url": vhostURL])
        let broker = try AMQPClient(configuration: upConfiguration.amqp, logger: logger)
        let consumer = try AMQPClient(configuration: upConfiguration.amqp, logger: logger)
        try await consumer.declare(.pansible(deliveryLimit: 5))
        let deliveries = try await consumer.consume(queue: Topology.jobsQueue, prefetch: 10)
        let upApp = try buildApplication(configuration: upConfiguration, logger: logger, publisher: broker, isPublisherReady: { broker.isConnected })
        let received: [String] = try await upApp.test(.router) { _ in
            try await withThrowingTaskGroup(of: [String].self) { group in
                group.addTask {
                    var ids: [String] = []
                    for try await delivery in deliveries {
                        ids.append(delivery.messageID ?? "")
                        try await delivery.ack()
                    }
                    return ids
                }
                group.addTask {
                    // Long enough for a first publish and for any duplicate to follow it.
                    try await Task.sleep(for: .seconds(4))
                    return []
                }
                _ = try await group.next()
                await consumer.shutdown()
                var all: [String] = []
                for try await ids in group { all += ids }
                return all
            }
        }
        await broker.shutdown()
        #expect(received == ["job/\(uuid)"])
        try await TestServices.withPostgresClient(url: database.url) { postgres in
            let pending = try await postgres.query("SELECT count(*) FROM outbox WHERE published_at IS NULL").decode(Int64.self).first { _ in true }
            #expect(pending == 0)
        }
    }
}
