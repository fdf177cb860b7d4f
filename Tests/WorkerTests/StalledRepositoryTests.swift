import Foundation
import Shared
import TestSupport
import Testing

@testable import Worker

/// A playbook repository whose server accepts the connection and never answers: the shard's timeout and
/// its job's cancel stop git like they stop Ansible, the repository's lock is let go, and shards of other
/// repositories run meanwhile.
@Suite(.serialized, .enabled(if: TestServices.available, "needs RabbitMQ (make test)"))
struct StalledRepositoryTests {
    static let playbook = """
        - hosts: all
          gather_facts: false
          tasks:
            - ansible.builtin.debug: {msg: fine}
        """

    /// Runs `body`; on failure closes the stalled server first, so a worker stuck in git can still stop.
    static func closingOnFailure<T: Sendable>(_ server: StalledGitServer, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            server.close()
            throw error
        }
    }

    @Test func stalledCloneTimesOutAndOtherRepositoriesStillRun() async throws {
        let broker = try await WorkerBroker()
        let server = try StalledGitServer()
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": Self.playbook])
        let work = try WorkerFixtures.temporaryDirectory()
        defer {
            server.close()
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        let job = UUID()
        let inventory = WorkerFixtures.localInventory(hosts: ["a"])
        // Two shards of the stalled repository (the second waits for the first one's lock on the cache) and
        // one of a good repository.
        var stalled = WorkerFixtures.shard(
            repository: repository, inventory: inventory, hosts: ["a"], options: JobOptions(timeout: 3), jobUUID: job,
            gitRepo: server.repositoryURL)
        stalled.count = 3
        var waiting = stalled
        waiting.index = 1
        var good = WorkerFixtures.shard(repository: repository, inventory: inventory, hosts: ["a"], jobUUID: job)
        good.index = 2
        good.count = 3
        let shards = [stalled, waiting, good]

        try await broker.withWorker(configuration: try broker.configuration(workDirectory: work, ["worker.concurrency": "3"])) {
            try await Self.closingOnFailure(server) {
                for shard in shards { try await broker.publish(shard) }
                let finished = try await broker.wait(for: "the good repository's shard_finished", seconds: 120) { batches in
                    batches.events(job: job, type: PipelineEventType.shardFinished).first { $0.batch.shardIndex == 2 }
                }
                #expect(finished.event.data?["rc"]?.intValue == 0)
                for index in [0, 1] {
                    let error = try await broker.wait(for: "shard \(index)'s shard_error", seconds: 120) { batches in
                        batches.events(job: job, type: PipelineEventType.shardError).first { $0.batch.shardIndex == index }
                    }
                    #expect(error.event.data?["reason"]?.stringValue == "timed out after 3 s")
                }
            }
        }
        // The worker stopped (its shards were done); nothing of the stalled clone is left in the cache.
        let repos = (try? FileManager.default.contentsOfDirectory(atPath: work + "/repos")) ?? []
        #expect(!repos.contains { $0.contains(".clone-") })
        await broker.close()
    }

    @Test func cancelStopsAStalledClone() async throws {
        let broker = try await WorkerBroker()
        let server = try StalledGitServer()
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": Self.playbook])
        let work = try WorkerFixtures.temporaryDirectory()
        defer {
            server.close()
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        let shard = WorkerFixtures.shard(
            repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a"]), hosts: ["a"], gitRepo: server.repositoryURL)

        try await broker.withWorker(configuration: try broker.configuration(workDirectory: work, ["worker.concurrency": "1"])) {
            try await Self.closingOnFailure(server) {
                try await broker.publish(shard)
                try await server.waitForConnection()
                try await broker.cancel(job: shard.jobUUID)
                let canceled = try await broker.wait(for: "shard_canceled", seconds: 60) {
                    $0.events(job: shard.jobUUID, type: PipelineEventType.shardCanceled).first
                }
                #expect(canceled.event.data?["reason"]?.stringValue == "the job was cancelled")
                #expect(await broker.events.batches.events(job: shard.jobUUID, type: PipelineEventType.shardError).isEmpty)
            }
        }
        await broker.close()
    }
}
