import Foundation
import Logging
import TestSupport
import Testing

@testable import Worker

@Suite struct RepositoryCacheTests {
    @Test func concurrentExportsShareOneCacheAndNewCommitsAreFetched() async throws {
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": "first\n", "roles/r/tasks/main.yml": "- debug: {}\n"])
        defer { repository.remove() }
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let cache = RepositoryCache(directory: work + "/repos", environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))

        let commits = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<6 {
                group.addTask {
                    try await cache.export(
                        repository: repository.path, commit: repository.commit, ref: nil, into: "\(work)/export\(index)", sshKeyPath: nil)
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(commits == Array(repeating: repository.commit, count: 6))
        for index in 0..<6 {
            #expect(try String(contentsOfFile: "\(work)/export\(index)/site.yml", encoding: .utf8) == "first\n")
            #expect(FileManager.default.fileExists(atPath: "\(work)/export\(index)/roles/r/tasks/main.yml"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/repos").filter { $0.hasSuffix(".git") }.count == 1)

        // A commit made after the clone is fetched; the old one still exports as it was.
        try "second\n".write(toFile: repository.path + "/site.yml", atomically: true, encoding: .utf8)
        try await GitRepositoryFixture.git(["-c", "user.name=T", "-c", "user.email=t@e.invalid", "commit", "-qam", "two"], in: repository.path)
        let second = try await GitRepositoryFixture.git(["rev-parse", "HEAD"], in: repository.path).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await cache.export(repository: repository.path, commit: second, ref: nil, into: "\(work)/new", sshKeyPath: nil)
        #expect(try String(contentsOfFile: "\(work)/new/site.yml", encoding: .utf8) == "second\n")
        _ = try await cache.export(repository: repository.path, commit: repository.commit, ref: nil, into: "\(work)/old", sshKeyPath: nil)
        #expect(try String(contentsOfFile: "\(work)/old/site.yml", encoding: .utf8) == "first\n")

        await #expect(throws: RepositoryError.self) {
            try await cache.export(
                repository: repository.path, commit: String(repeating: "a", count: 40), ref: nil, into: "\(work)/none", sshKeyPath: nil)
        }
    }

    @Test func cancellingTheTaskKillsAStalledGit() async throws {
        let server = try StalledGitServer()
        defer { server.close() }
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let cache = RepositoryCache(directory: work + "/repos", environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))
        let export = Task {
            try await cache.export(
                repository: server.repositoryURL, commit: String(repeating: "a", count: 40), ref: nil, into: "\(work)/export", sshKeyPath: nil)
        }
        try await server.waitForConnection()
        // A forced shutdown cancels the run's task: git goes at once. Should it not, the server gives up after
        // a minute so the test ends, and says so.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            server.close()
            return true
        }
        export.cancel()
        let result = await export.result
        watchdog.cancel()
        #expect(await (try? watchdog.value) != true, "git outlived the cancellation until the server closed")
        #expect(throws: RepositoryError.self) { try result.get() }
        // The cache's lock is free again: another export gets it (and fails on the closed server, not waiting).
        server.close()
        await #expect(throws: RepositoryError.self) {
            try await cache.export(
                repository: server.repositoryURL, commit: String(repeating: "a", count: 40), ref: nil, into: "\(work)/again", sshKeyPath: nil)
        }
    }
}
