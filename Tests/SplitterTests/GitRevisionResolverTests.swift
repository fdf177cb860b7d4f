import Foundation
import Testing

@testable import Splitter

/// Against a real git repository on disk (by path and by file:// URL).
@Suite struct GitRevisionResolverTests {
    static func git(_ arguments: [String], in directory: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory.path, "-c", "user.name=Pansible", "-c", "user.email=pansible@example.com"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func resolvesBranchesTagsHeadAndCommits() async throws {
        let repository = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-git-\(UUID())")
        try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: repository) }
        _ = try Self.git(["init", "-q", "-b", "main"], in: repository)
        try "- hosts: all\n".write(to: repository.appendingPathComponent("site.yml"), atomically: true, encoding: .utf8)
        _ = try Self.git(["add", "site.yml"], in: repository)
        _ = try Self.git(["commit", "-q", "-m", "first"], in: repository)
        let first = try Self.git(["rev-parse", "HEAD"], in: repository)
        _ = try Self.git(["tag", "-a", "v1", "-m", "release"], in: repository)
        _ = try Self.git(["checkout", "-q", "-b", "feature"], in: repository)
        _ = try Self.git(["commit", "-q", "--allow-empty", "-m", "second"], in: repository)
        let second = try Self.git(["rev-parse", "HEAD"], in: repository)
        _ = try Self.git(["checkout", "-q", "main"], in: repository)

        let resolver = GitRevisionResolver()
        #expect(try await resolver.resolve(repository: repository.path, ref: nil) == first)
        #expect(try await resolver.resolve(repository: repository.path, ref: "feature") == second)
        #expect(try await resolver.resolve(repository: "file://\(repository.path)", ref: "main") == first)
        #expect(try await resolver.resolve(repository: repository.path, ref: "v1") == first)
        #expect(try await resolver.resolve(repository: repository.path, ref: second.uppercased()) == second)
        await #expect(throws: RevisionError.self) { try await resolver.resolve(repository: repository.path, ref: "nope") }
        do {
            _ = try await resolver.resolve(repository: repository.path + "-missing", ref: "main")
            Issue.record("resolved a missing repository")
        } catch {
            #expect(error.code == .unreachable)
        }
    }
}
