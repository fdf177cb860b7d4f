import Foundation
import TestSupport
import Testing

@testable import Shared

extension AMQPIntegrationTests {
    /// The `pansible.ledger` stream read and written by several `Ledger`s, each on a private virtual host.
    @Suite struct LedgerTests {
        /// Runs `body` with `count` ledgers (each on its own client) on a fresh virtual host, then stops them.
        static func withLedgers(
            _ count: Int, _ body: @Sendable (AMQPClient, [Ledger]) async throws -> Void
        ) async throws {
            let url = try await TestServices.createVirtualHost()
            defer { TestServices.deleteVirtualHost(url: url) }
            let configuration = try AMQPConfiguration(source: TestServices.configurationSource(["amqp.url": url]))
            let clients = try (0...count).map { index in
                try AMQPClient(configuration: configuration, connectionName: "ledger-tests-\(index)", logger: AMQPTestSupport.logger)
            }
            let ledgers = (1...count).map { index in
                Ledger(client: clients[index], writer: "reader-\(index)", readTimeout: .seconds(30), logger: AMQPTestSupport.logger)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for ledger in ledgers { group.addTask { try await ledger.run() } }
                do {
                    try await body(clients[0], ledgers)
                } catch {
                    group.cancelAll()
                    for client in clients { await client.shutdown() }
                    throw error
                }
                group.cancelAll()
                for client in clients { await client.shutdown() }
            }
        }

        @Test func theFirstClaimOfADeliveryAttemptWinsForEveryReader() async throws {
            try await Self.withLedgers(2) { _, ledgers in
                let shard = "job/\(UUID().uuidString.lowercased())/shard/0"
                async let first = ledgers[0].claim(shard: shard, attempt: 1, runID: UUID())
                async let second = ledgers[1].claim(shard: shard, attempt: 1, runID: UUID())
                let claims = try await [first, second]
                #expect(claims.filter { $0 == .won }.count == 1)
                #expect(claims.filter { if case .lost = $0 { return true } else { return false } }.count == 1)

                // A later attempt (a redelivery after a worker died) is a claim of its own.
                #expect(try await ledgers[1].claim(shard: shard, attempt: 2, runID: UUID()) == .won)

                // Once done, no attempt runs, whoever asks.
                try await ledgers[0].markDone(shard: shard)
                try await ledgers[1].sync()
                #expect(try await ledgers[1].claim(shard: shard, attempt: 3, runID: UUID()) == .done)
                #expect(try await ledgers[0].claim(shard: shard, attempt: 4, runID: UUID()) == .done)
            }
        }

        @Test func aReaderStartedLaterKnowsEarlierCancelsAndSplits() async throws {
            let job = UUID()
            let url = try await TestServices.createVirtualHost()
            defer { TestServices.deleteVirtualHost(url: url) }
            let configuration = try AMQPConfiguration(source: TestServices.configurationSource(["amqp.url": url]))
            let client = try AMQPClient(configuration: configuration, connectionName: "ledger-tests", logger: AMQPTestSupport.logger)
            // Published while nobody reads the ledger: the control fanout still has the stream bound.
            let cancel = ControlMessage(action: .cancel, jobUUID: job)
            try await client.publish(
                OutgoingMessage(
                    exchange: Topology.controlExchange, routingKey: "", body: try MessageCoding.encode(cancel), messageID: cancel.messageID))
            let plan = SplitRecord(commit: "abc", splitAt: Date(timeIntervalSince1970: 1), shards: [.init(hosts: ["a"], forks: 1)])
            let writer = Ledger(client: client, writer: "writer", logger: AMQPTestSupport.logger)
            try await writer.publish(LedgerRecord(kind: .split, writer: "writer", jobUUID: job, plan: plan))

            let canceled = LockedJobs()
            let reader = Ledger(client: client, writer: "reader", onCancel: { await canceled.add($0) }, logger: AMQPTestSupport.logger)
            let running = Task { try await reader.run() }
            try await reader.catchUp()
            #expect(await reader.isCanceled(job))
            #expect(await canceled.jobs == [job])
            #expect(await reader.split(job: job) == plan)
            // A second split of the same job does not replace the first.
            let other = SplitRecord(commit: "def", splitAt: Date(), shards: [.init(hosts: ["a"], forks: 1)])
            #expect(try await reader.recordSplit(job: job, plan: other) == plan)
            running.cancel()
            await client.shutdown()
        }
    }
}

/// Jobs reported cancelled, in order.
actor LockedJobs {
    private(set) var jobs: [UUID] = []
    func add(_ job: UUID) { jobs.append(job) }
}
