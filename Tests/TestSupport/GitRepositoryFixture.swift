import Foundation
import Shared
import TestSupport

/// A throwaway git repository with the given files committed on `main`, for splits and runs to resolve and
/// check out (by path, as a user's repository would be registered).
public struct GitRepositoryFixture: Sendable {
    public let path: String
    /// The commit `main` points to.
    public let commit: String

    /// Creates the repository in `directory` (default: the temporary directory).
    public static func create(files: [String: String], in directory: String? = nil) async throws -> GitRepositoryFixture {
        let parent = directory ?? FileManager.default.temporaryDirectory.path
        let path = URL(fileURLWithPath: parent).appendingPathComponent("pansible-repo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, content) in files {
            let file = URL(fileURLWithPath: path).appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: file, atomically: true, encoding: .utf8)
        }
        try await git(["init", "--quiet", "--initial-branch=main"], in: path)
        try await git(["add", "-A"], in: path)
        try await commit("playbook", in: path)
        return GitRepositoryFixture(path: path, commit: try await head(path))
    }

    public var url: URL { URL(fileURLWithPath: path) }

    /// Commits everything in the working tree; returns the new commit.
    @discardableResult
    public static func commit(_ message: String, in path: String) async throws -> String {
        try await git(
            ["-c", "user.name=Test", "-c", "user.email=test@pansible.invalid", "commit", "--quiet", "--allow-empty", "-am", message], in: path)
        return try await head(path)
    }

    /// The commit HEAD points to.
    public static func head(_ path: String) async throws -> String {
        try await git(["rev-parse", "HEAD"], in: path).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs git in `directory`; returns its output, or throws with it when git fails.
    @discardableResult
    public static func git(_ arguments: [String], in directory: String) async throws -> String {
        let output = try await CommandRunner.run(
            "git", arguments, environment: ProcessInfo.processInfo.environment, directory: directory, timeout: .seconds(120))
        guard output.status == .exited(0) else {
            throw TestFailure("git \(arguments.joined(separator: " ")) failed (\(output.status)): \(output.text)")
        }
        return output.text
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A test's own failure with a message.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
