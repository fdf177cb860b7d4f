import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Shared
import TestSupport
import Testing

@testable import Splitter

/// The splitter process against a real broker (a private virtual host) and a real git repository.
@Suite(.enabled(if: TestServices.available))
struct SplitterServiceTests {
    static let hosts = """
        all:
          vars:
            site: lab
          children:
            web:
              hosts:
                web[01:05]:
              vars:
                role: web
            db:
              hosts:
                db[1:3]:
                  port_hint: 5432
        """

    @Test func jobBecomesSelfContainedShardsThenIsAcked() async throws {
        let registry = PrometheusCollectorRegistry()
        try await withSplitter(registry: registry) { client, repository in
            let job = Self.job(hosts: Self.hosts, vars: "web:\n  tier: front\n", repository: repository, options: JobOptions(shardSize: 3))
            try await client.publish(Self.jobMessage(job))

            let shards = try await Self.take(3, from: Topology.shardsQueue(pool: "default"), client: client, as: ShardMessage.self)
            #expect(shards.map(\.index).sorted() == [0, 1, 2])
            #expect(shards.flatMap(\.hosts).sorted() == ["db1", "db2", "db3", "web01", "web02", "web03", "web04", "web05"])
            let commit = try await GitRepositoryFixture.head(repository)
            for shard in shards {
                #expect(shard.count == 3)
                #expect(shard.playbook.commit == commit)
                #expect(shard.jobUUID == job.jobUUID)
            }
            // Every variable and group of the shard's hosts travels with them, and nothing of other hosts.
            let web = try #require(shards.first { $0.hosts.contains("web02") })
            #expect(web.groupVars?["web"]?["tier"] == .string("front"))
            #expect(web.inventory["all"]?["vars"]?["site"] == .string("lab"))
            #expect(web.inventory["web"]?["vars"]?["role"] == .string("web"))
            #expect(web.inventory["web"]?["hosts"]?["web02"] != nil)
            let db = try #require(shards.first { $0.hosts.contains("db2") })
            #expect(db.inventory["db"]?["hosts"]?["db2"]?["port_hint"] == .int(5432))
            for shard in shards {
                let listed = Set(["web", "db"].flatMap { shard.inventory[$0]?["hosts"]?.objectValue?.keys.map { $0 } ?? [] })
                #expect(listed == Set(shard.hosts))
            }

            let events = try await Self.take(1, from: Topology.eventsQueue, client: client, as: EventBatch.self)
            let split = try #require(events.first?.events.first)
            #expect(split.type == PipelineEventType.jobSplit)
            #expect(split.data?["shard_count"] == .int(3))
            #expect(split.data?["host_count"] == .int(8))

            // The job was acked after the shards were confirmed: nothing is left on the jobs queue.
            #expect(try await Self.queueIsEmpty(Topology.jobsQueue, client: client))

            // Counted once acked, in the registry `/metrics` serves.
            let counted = await TestServices.eventually(timeout: .seconds(10)) {
                var buffer: [UInt8] = []
                registry.emit(into: &buffer)
                let text = String(decoding: buffer, as: UTF8.self)
                return text.contains("pansible_splitter_jobs_split_total 1") && text.contains("pansible_splitter_shards_published_total 3")
            }
            #expect(counted)
        }
    }

    @Test func aJobDeliveredAgainAfterItsRefMovedPublishesTheSameSplit() async throws {
        try await withSplitter { client, repository in
            let job = Self.job(hosts: Self.hosts, vars: nil, repository: repository, options: JobOptions(shardSize: 3))
            try await client.publish(Self.jobMessage(job))
            let first = try await Self.take(3, from: Topology.shardsQueue(pool: "default"), client: client, as: ShardMessage.self)
            let commit = try await GitRepositoryFixture.head(repository)

            // The branch moves on, then the same job message arrives again (a duplicate publish, a redelivery).
            try "- hosts: all\n  tasks: [{debug: {msg: moved}}]\n".write(
                toFile: repository + "/site.yml", atomically: true, encoding: .utf8)
            try await GitRepositoryFixture.git(
                ["-c", "user.name=t", "-c", "user.email=t@pansible.invalid", "commit", "-qam", "moved"], in: repository)
            #expect(try await GitRepositoryFixture.head(repository) != commit)
            try await client.publish(Self.jobMessage(job))
            let second = try await Self.take(3, from: Topology.shardsQueue(pool: "default"), client: client, as: ShardMessage.self)

            #expect(first.allSatisfy { $0.playbook.commit == commit })
            #expect(second.sorted { $0.index < $1.index } == first.sorted { $0.index < $1.index })
            #expect(try await Self.queueIsEmpty(Topology.jobsQueue, client: client))
            #expect(try await Self.queueIsEmpty(Topology.shardsQueue(pool: "default"), client: client))
        }
    }

    @Test(arguments: [
        ("bad inventory", "all:\n  hosts: [a, b]\n", nil as String?, "invalid_inventory"),
        ("empty after limit", hosts, "nomatch*", "no_hosts"),
        ("unreachable repository", hosts, nil, "unreachable_repository"),
    ])
    func jobThatCannotBeSplitFailsWithAReasonAndIsAcked(name: String, hosts: String, limit: String?, code: String) async throws {
        try await withSplitter { client, repository in
            let repo = code == "unreachable_repository" ? "/nonexistent/repository-\(UUID())" : repository
            let job = Self.job(hosts: hosts, vars: nil, repository: repo, options: JobOptions(limit: limit))
            try await client.publish(Self.jobMessage(job))
            let events = try await Self.take(1, from: Topology.eventsQueue, client: client, as: EventBatch.self)
            let failed = try #require(events.first?.events.first)
            #expect(failed.type == PipelineEventType.jobFailed)
            #expect(failed.data?["code"] == .string(code), "\(name)")
            #expect(failed.data?["reason"]?.stringValue?.isEmpty == false)
            #expect(try await Self.queueIsEmpty(Topology.jobsQueue, client: client))
            #expect(try await Self.queueIsEmpty(Topology.shardsQueue(pool: "default"), client: client))
        }
    }

    // MARK: - Support

    static func job(hosts: String, vars: String?, repository: String, options: JobOptions) -> JobMessage {
        JobMessage(
            jobUUID: UUID(), jobID: 1, env: "test",
            playbook: PlaybookSpec(id: 1, name: "site", gitRepo: repository, entry: "site.yml"),
            inventory: InventorySpec(id: 1, name: "lab", env: "test", version: "1", hosts: hosts, vars: vars), options: options)
    }

    static func jobMessage(_ job: JobMessage) throws -> OutgoingMessage {
        OutgoingMessage(
            exchange: Topology.jobsExchange, routingKey: Topology.jobsRoutingKey, body: try MessageCoding.encode(job), messageID: job.messageID)
    }

    /// Runs the splitter's service group on a private virtual host with a client for the test.
    func withSplitter(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), _ body: @Sendable (AMQPClient, String) async throws -> Void
    ) async throws {
        let url = try await TestServices.createVirtualHost()
        defer { TestServices.deleteVirtualHost(url: url) }
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": "- hosts: all\n  tasks: []\n"]).path
        var logger = Logger(label: "test.splitter")
        logger.logLevel = .warning
        let configuration = try PansibleConfiguration(
            source: TestServices.configurationSource(["amqp.url": url, "splitter.port": "127.0.0.1:0"]))
        let group = try buildSplitter(configuration: configuration, registry: registry, logger: logger)
        let client = try AMQPClient(configuration: configuration.amqp, connectionName: "splitter-tests", logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(client, repository)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await client.shutdown()
    }

    /// Takes `count` messages off `queue` (acking them), decoded.
    static func take<T: Decodable>(_ count: Int, from queue: String, client: AMQPClient, as type: T.Type) async throws -> [T] {
        let stream = try await client.consume(queue: queue, prefetch: count)
        var result: [T] = []
        for try await delivery in stream {
            result.append(try MessageCoding.decode(type, from: delivery.body))
            try await delivery.ack()
            if result.count == count { break }
        }
        return result
    }

    /// Whether `queue` holds no ready message now (a consumer sees nothing within a second).
    static func queueIsEmpty(_ queue: String, client: AMQPClient) async throws -> Bool {
        let stream = try await client.consume(queue: queue, prefetch: 1)
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for try await delivery in stream {
                    try await delivery.nack(requeue: true)
                    return false
                }
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(1))
                return true
            }
            defer { group.cancelAll() }
            return try await group.next() ?? true
        }
    }
}
