import Foundation
import Logging
import Shared
import TestSupport
import Testing

@testable import Worker

/// Run directories (with a job's SSH key and vault password) left by a crashed worker are removed when a
/// worker starts on the same work directory; the live runs of another worker sharing it are kept.
@Suite(.serialized) struct StaleRunDirectoryTests {
    /// A run directory as a killed worker leaves it: a key in `private/`, and a lock file or none.
    static func makeStaleRun(in work: String, withLockFile: Bool) throws -> String {
        let path = RunDirectory.runsDirectory(workDirectory: work) + "/" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: path + "/private", withIntermediateDirectories: true)
        try "-----BEGIN OPENSSH PRIVATE KEY-----\n".write(toFile: path + "/private/ssh_key", atomically: true, encoding: .utf8)
        if withLockFile { _ = FileManager.default.createFile(atPath: path + RunDirectory.lockSuffix, contents: nil) }
        return path
    }

    @Test func onlyRunsNoLiveWorkerOwnsAreRemoved() throws {
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let live = try RunDirectory.create(workDirectory: work, runID: UUID())
        // Removing again (below, and a copy) closes the lock's descriptor only once.
        defer { live.remove() }
        let unlocked = try Self.makeStaleRun(in: work, withLockFile: false)
        let freeLock = try Self.makeStaleRun(in: work, withLockFile: true)
        let loneLock = RunDirectory.runsDirectory(workDirectory: work) + "/\(UUID().uuidString.lowercased()).lock"
        _ = FileManager.default.createFile(atPath: loneLock, contents: nil)

        let removed = RunDirectory.removeStale(workDirectory: work, logger: Logger(label: "test"))

        #expect(Set(removed) == [unlocked, freeLock])
        for path in [unlocked, freeLock, freeLock + RunDirectory.lockSuffix, loneLock] {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path) is still there")
        }
        #expect(FileManager.default.fileExists(atPath: live.privateDirectory))
        #expect(FileManager.default.fileExists(atPath: live.path + RunDirectory.lockSuffix))

        // The owner's own removal takes the lock file too, and a later sweep finds nothing.
        let copy = live
        live.remove()
        copy.remove()
        #expect(try FileManager.default.contentsOfDirectory(atPath: RunDirectory.runsDirectory(workDirectory: work)).isEmpty)
    }

    @Test(.enabled(if: TestServices.available, "needs RabbitMQ (make test)"))
    func workerStartSweepsACrashedWorkersRunsButNotALiveOnes() async throws {
        let broker = try await WorkerBroker()
        let playbook = """
            - hosts: all
              gather_facts: false
              tasks:
                - ansible.builtin.command: sleep 8
                - ansible.builtin.debug: {msg: after}
            """
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": playbook])
        let work = try WorkerFixtures.temporaryDirectory()
        defer {
            repository.remove()
            try? FileManager.default.removeItem(atPath: work)
        }
        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a"]), hosts: ["a"])
        let first = try broker.configuration(workDirectory: work, ["worker.concurrency": "1", "worker.id": "first"])
        let second = try broker.configuration(workDirectory: work, ["worker.concurrency": "1", "worker.id": "second"])

        try await broker.withWorker(configuration: first) {
            try await broker.publish(shard)
            let started = try await broker.wait(for: "the first worker to run the shard") { batches in
                batches.events(job: shard.jobUUID, type: "runner_on_start").first?.batch
            }
            let liveRun = RunDirectory.runsDirectory(workDirectory: work) + "/" + (try #require(started.runID)).uuidString.lowercased()
            #expect(FileManager.default.fileExists(atPath: liveRun))
            let stale = try Self.makeStaleRun(in: work, withLockFile: false)
            let staleWithLock = try Self.makeStaleRun(in: work, withLockFile: true)

            // A second worker starts on the same work directory while the first one runs the shard.
            try await broker.withWorker(configuration: second) {
                let deadline = ContinuousClock.now + .seconds(60)
                while FileManager.default.fileExists(atPath: stale) || FileManager.default.fileExists(atPath: staleWithLock) {
                    guard ContinuousClock.now < deadline else { throw TestFailure("the stale run directories are still there after 60 s") }
                    try await Task.sleep(for: .milliseconds(50))
                }
                // The first worker's run (8 s of sleep) is still going, and its directory with it.
                #expect(FileManager.default.fileExists(atPath: liveRun))
            }
            #expect(!FileManager.default.fileExists(atPath: staleWithLock + RunDirectory.lockSuffix))

            let finished = try await broker.wait(for: "the first worker's shard_finished") {
                $0.run(ending: PipelineEventType.shardFinished, job: shard.jobUUID)
            }
            #expect(finished.runID == started.runID && finished.workerID == "first")
            let events = await broker.events.events(run: try #require(finished.runID))
            #expect(events.filter { $0.type == "runner_on_ok" }.count == 2)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: RunDirectory.runsDirectory(workDirectory: work)).isEmpty)
        await broker.close()
    }
}
