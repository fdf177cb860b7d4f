import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Gateway

@Suite(.enabled(if: TestServices.available))
struct OutboxRelayTests {
    static let logger = Logger(label: "test.outbox")

    static func withMigratedDatabase(_ body: @Sendable (PostgresClient) async throws -> Void) async throws {
        let database = try await TestServices.createDatabase()
        do {
            try await TestServices.withPostgresClient(url: database.url) { postgres in
                try await Migrator(client: postgres, logger: logger).migrate()
                try await body(postgres)
            }
            try await TestServices.dropDatabase(database.name)
        } catch {
            try? await TestServices.dropDatabase(database.name)
            throw error
        }
    }

    static func insertRows(_ count: Int, postgres: PostgresClient) async throws {
        try await postgres.query(
            """
            INSERT INTO outbox (exchange, routing_key, message_id, body)
            SELECT \(Topology.jobsExchange), \(Topology.jobsRoutingKey), 'job/' || n, convert_to('{}', 'UTF8') FROM generate_series(1, \(count)) AS n
            """
        )
    }

    static func unpublished(_ postgres: PostgresClient) async throws -> Int64 {
        try await postgres.query("SELECT count(*) FROM outbox WHERE published_at IS NULL").decode(Int64.self).first { _ in true } ?? -1
    }

    @Test func rowsWaitWhileThePublisherFailsAndGoOutInOrderAfterwards() async throws {
        try await Self.withMigratedDatabase { postgres in
            try await Self.insertRows(30, postgres: postgres)
            let publisher = RecordingPublisher(failing: true)
            var settings = OutboxRelay.Settings()
            settings.batchSize = 8
            settings.maximumBackoff = .milliseconds(200)
            let relay = OutboxRelay(postgres: postgres, publisher: publisher, signal: OutboxSignal(), settings: settings, logger: Self.logger)
            let task = Task { try await relay.run() }
            defer { task.cancel() }
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await Self.unpublished(postgres) == 30)
            #expect(await publisher.published.isEmpty)

            await publisher.setFailing(false)
            let done = try await TestServices.eventually(timeout: .seconds(120)) { try await Self.unpublished(postgres) == 0 }
            #expect(done)
            let ids = await publisher.published.map(\.messageID)
            #expect(ids == (1...30).map { "job/\($0)" })
        }
    }

    @Test func aPublishThatIsNotConfirmedInTimeIsAbandonedAndTheRowsStay() async throws {
        try await Self.withMigratedDatabase { postgres in
            try await Self.insertRows(3, postgres: postgres)
            let publisher = RecordingPublisher()
            await publisher.setDelay(.seconds(600))
            var settings = OutboxRelay.Settings()
            settings.publishTimeout = .milliseconds(200)
            let relay = OutboxRelay(postgres: postgres, publisher: publisher, signal: OutboxSignal(), settings: settings, logger: Self.logger)
            await #expect(throws: MessagingError.self) { try await relay.relayBatch() }
            #expect(try await Self.unpublished(postgres) == 3)

            await publisher.setDelay(.zero)
            #expect(try await relay.relayBatch() == 3)
            #expect(try await Self.unpublished(postgres) == 0)
        }
    }

    @Test func severalRelaysPublishEachRowOnce() async throws {
        try await Self.withMigratedDatabase { postgres in
            try await Self.insertRows(400, postgres: postgres)
            // One shared record of every publish, a little slow so that the relays overlap.
            let publisher = RecordingPublisher()
            await publisher.setDelay(.milliseconds(5))
            var settings = OutboxRelay.Settings()
            settings.batchSize = 20
            let tasks = (0..<3).map { _ in
                let relay = OutboxRelay(postgres: postgres, publisher: publisher, signal: OutboxSignal(), settings: settings, logger: Self.logger)
                return Task { try await relay.run() }
            }
            defer { for task in tasks { task.cancel() } }
            let done = try await TestServices.eventually(timeout: .seconds(120)) { try await Self.unpublished(postgres) == 0 }
            #expect(done)
            let ids = await publisher.published.map(\.messageID)
            #expect(ids.count == 400)
            #expect(Set(ids).count == 400)
        }
    }

    @Test func aBatchWithAnUnroutableMessagePublishesTheOthersOnce() async throws {
        try await Self.withMigratedDatabase { postgres in
            let url = try await TestServices.createVirtualHost()
            defer { TestServices.deleteVirtualHost(url: url) }
            let configuration = try AMQPConfiguration(source: TestServices.configurationSource(["amqp.url": url]))
            let client = try AMQPClient(configuration: configuration, connectionName: "outbox-relay-tests", logger: Self.logger)
            // Between two jobs, a message no queue takes (a pool nobody declared).
            try await postgres.query(
                """
                INSERT INTO outbox (exchange, routing_key, message_id, body) VALUES
                (\(Topology.jobsExchange), \(Topology.jobsRoutingKey), 'job/1', convert_to('{}', 'UTF8')),
                (\(Topology.shardsExchange), 'nobody', 'job/2/shard/0', convert_to('{}', 'UTF8')),
                (\(Topology.jobsExchange), \(Topology.jobsRoutingKey), 'job/3', convert_to('{}', 'UTF8'))
                """
            )
            let relay = OutboxRelay(postgres: postgres, publisher: client, signal: OutboxSignal(), logger: Self.logger)
            // Twice, as the relay's retry would: the unroutable row fails both times, the jobs go out once.
            await #expect(throws: MessagingError.self) { try await relay.relayBatch() }
            await #expect(throws: MessagingError.self) { try await relay.relayBatch() }

            #expect(try await Self.unpublished(postgres) == 1)
            let lastError = try await postgres.query("SELECT last_error FROM outbox WHERE message_id = 'job/2/shard/0'")
                .decode(String?.self).first { _ in true }
            #expect(lastError??.contains("unroutable") == true)
            #expect(try await Self.drain(Topology.jobsQueue, client: client) == ["job/1", "job/3"])
            await client.shutdown()
        }
    }

    /// The message ids `queue` delivers within two seconds (acked).
    static func drain(_ queue: String, client: AMQPClient) async throws -> [String] {
        let deliveries = try await client.consume(queue: queue, prefetch: 100)
        let received = Task {
            var ids: [String] = []
            do {
                for try await delivery in deliveries {
                    ids.append(delivery.messageID ?? "")
                    try? await delivery.ack()
                }
            } catch {}
            return ids
        }
        try await Task.sleep(for: .seconds(2))
        // Cancelling the consuming task ends the stream: what arrived so far is the answer.
        received.cancel()
        return await received.value
    }

    /// Whether a wait ended by a signal or by its timeout, not how long it took.
    @Test func theSignalWakesAWaitingRelayAndIsRememberedOnce() async throws {
        let signal = OutboxSignal()
        await signal.notify()
        #expect(await signal.wait(timeout: .seconds(600)))
        // Remembered once: the next wait runs to its timeout.
        #expect(await signal.wait(timeout: .milliseconds(50)) == false)
        let woken = Task { await signal.wait(timeout: .seconds(600)) }
        try await Task.sleep(for: .milliseconds(100))
        await signal.notify()
        #expect(await woken.value)
    }
}
