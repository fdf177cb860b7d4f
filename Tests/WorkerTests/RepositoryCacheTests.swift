import Foundation
import Logging
import Testing

@testable import Worker

@Suite struct RepositoryCacheTests {
    @Test func concurrentExportsShareOneCacheAndNewCommitsAreFetched() async throws {
        let repository = try TestRepository.create(files: ["site.yml": "first\n", "roles/r/tasks/main.yml": "- debug: {}\n"])
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
        try TestRepository.git(["-c", "user.name=T", "-c", "user.email=t@e.invalid", "commit", "-qam", "two"], in: repository.path)
        let second = try TestRepository.git(["rev-parse", "HEAD"], in: repository.path).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await cache.export(repository: repository.path, commit: second, ref: nil, into: "\(work)/new", sshKeyPath: nil)
        #expect(try String(contentsOfFile: "\(work)/new/site.yml", encoding: .utf8) == "second\n")
        _ = try await cache.export(repository: repository.path, commit: repository.commit, ref: nil, into: "\(work)/old", sshKeyPath: nil)
        #expect(try String(contentsOfFile: "\(work)/old/site.yml", encoding: .utf8) == "first\n")

        await #expect(throws: RepositoryError.self) {
            try await cache.export(
                repository: repository.path, commit: String(repeating: "a", count: 40), ref: nil, into: "\(work)/none", sshKeyPath: nil)
        }
    }
}
