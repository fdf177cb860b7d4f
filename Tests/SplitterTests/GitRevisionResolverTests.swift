import Foundation
import TestSupport
import Testing

@testable import Splitter

/// Against a real git repository on disk (by path and by file:// URL).
@Suite struct GitRevisionResolverTests {
    static func git(_ arguments: [String], in directory: URL) async throws -> String {
        try await GitRepositoryFixture.git(["-c", "user.name=Pansible", "-c", "user.email=pansible@example.com"] + arguments, in: directory.path)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func resolvesBranchesTagsHeadAndCommits() async throws {
        let repository = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-git-\(UUID())")
        try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: repository) }
        _ = try await Self.git(["init", "-q", "-b", "main"], in: repository)
        try "- hosts: all\n".write(to: repository.appendingPathComponent("site.yml"), atomically: true, encoding: .utf8)
        _ = try await Self.git(["add", "site.yml"], in: repository)
        _ = try await Self.git(["commit", "-q", "-m", "first"], in: repository)
        let first = try await Self.git(["rev-parse", "HEAD"], in: repository)
        _ = try await Self.git(["tag", "-a", "v1", "-m", "release"], in: repository)
        _ = try await Self.git(["checkout", "-q", "-b", "feature"], in: repository)
        _ = try await Self.git(["commit", "-q", "--allow-empty", "-m", "second"], in: repository)
        let second = try await Self.git(["rev-parse", "HEAD"], in: repository)
        _ = try await Self.git(["checkout", "-q", "main"], in: repository)

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
